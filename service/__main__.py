"""``python -m service`` is the ``tally`` command."""

from .cli import main

raise SystemExit(main())
