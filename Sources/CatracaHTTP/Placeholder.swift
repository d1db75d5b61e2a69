// Filled in by the HTTP layer.
