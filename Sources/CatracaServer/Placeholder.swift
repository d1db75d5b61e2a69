// Filled in by the Server layer.
