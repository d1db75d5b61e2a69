// Filled in by the WebSocket layer.
