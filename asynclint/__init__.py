"""asynclint: finds asyncio mistakes and rewrites them into the patterns the asyncio docs recommend.

Importing this package is cheap: libcst is imported only when a file is actually parsed.
"""

__version__ = "0.5.0"
