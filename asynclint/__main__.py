from asynclint.cli import main

raise SystemExit(main())
