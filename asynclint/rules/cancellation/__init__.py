"""6xx: structured concurrency and cancellation (TaskGroup, `except*`, swallowed `CancelledError`)."""
