"""`python -m asynclint`: the CLI.

Guarded, because `python -m libcst.tool list` (with `modules: [asynclint]` in
`.libcst.codemod.yaml`) imports every submodule of the package, this one included.
"""

if __name__ == "__main__":
    from asynclint.cli import main

    raise SystemExit(main())
