"""4xx: coroutines that are never awaited (dropped as a statement, used as a value, bound and forgotten)."""
