"""5xx: ordering assumptions about `gather` and `as_completed`."""
