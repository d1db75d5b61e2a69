// Filled in by the Daemon layer.
