// Filled in by the Store layer.
