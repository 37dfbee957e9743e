"""``python -m bib_lsp``: the ``bib-lsp`` command (the server without arguments)."""

from __future__ import annotations

import sys

from bib_lsp.cli import main

if __name__ == "__main__":
    sys.exit(main())
