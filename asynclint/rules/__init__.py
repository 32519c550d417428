"""The rules, a subpackage per family (the code's hundreds digit), one rule per module.

`file/` 0xx, `tasks/` 1xx, `blocking/` 2xx, `deprecated/` 3xx, `unawaited/` 4xx, `ordering/` 5xx,
`cancellation/` 6xx.  A family's shared helpers live in its `_*.py` modules; a rule never imports
another rule.  The registry imports every rule module and collects its `Rule` classes.
"""
