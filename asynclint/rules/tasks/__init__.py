"""1xx: task lifetime (tasks nobody keeps, results read too early, no running loop, pending tasks ignored)."""
