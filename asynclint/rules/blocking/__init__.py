"""2xx: blocking the event loop inside a coroutine (sleep, processes and network, file I/O)."""
