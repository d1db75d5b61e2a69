// Filled in by the JSON layer.
