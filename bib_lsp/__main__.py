"""The ``bib-lsp`` command: ``bib-lsp check`` (and, with later issues, the server)."""

from __future__ import annotations

import sys

from bib_lsp.cli import main

if __name__ == "__main__":
    sys.exit(main())
