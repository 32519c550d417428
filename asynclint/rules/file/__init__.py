"""0xx: the file itself (reported by the engine: cannot be analysed, internal error, cannot be fixed)."""
