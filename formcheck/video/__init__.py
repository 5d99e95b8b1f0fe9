"""Video I/O: streaming, rotation-aware decoding with real timestamps, and atomic H.264 encoding (PyAV)."""
