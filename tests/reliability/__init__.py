"""asynclint's promises on anyone's tree, one module per area, each test a promise kept.

Read the module docstrings as the list: what linting a tree never does (run its code), what `fix`
never does (lose an edit, write outside the paths given, corrupt a file), and how bad input,
odd files and dying processes are reported.  Most tests run the real `asynclint` in a subprocess,
because the promise is about the process.
"""
