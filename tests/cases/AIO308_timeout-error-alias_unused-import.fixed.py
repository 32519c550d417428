# Lint-and-fix case file for AIO308: `asyncio` was imported only for its alias, so the fix
# leaves the import unused and removes it (ruff's F401 would fail the project's CI otherwise).


def classify(error):
    if isinstance(error, TimeoutError):  # error: AIO308
        return "timeout"
    return "other"
