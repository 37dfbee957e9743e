"""Generate ``docs/rules/<code>.md`` from the problem code documentation, and the
list of codes the VS Code extension offers for ``bibLsp.diagnostics.ignore``. The
same pages go into the package (``bib_lsp/rule_docs/``, package data): an
installed server links its diagnostics to them, where no checkout is at hand.

Run ``python -m bib_lsp.docgen`` after changing a code's text; a test fails while
the committed pages or the extension's manifest are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bib_lsp.syntax.codes import SYNTAX_CODES, CodeDoc

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs" / "rules"
PACKAGE_DOCS_DIR = Path(__file__).resolve().parent / "rule_docs"  # shipped in the wheel
VSCODE_MANIFEST = ROOT / "editors" / "vscode" / "package.json"


def render(doc: CodeDoc) -> str:
    return (
        f"# `{doc.code}`\n\n"
        f"Default severity: **{doc.severity.value}**\n\n"
        f"## What it checks\n\n{doc.summary}\n\n"
        f"## Why it matters\n\n{doc.why}\n\n"
        f"## Example\n\n```bibtex\n{doc.example.rstrip()}\n```\n\n"
        f"## How to fix\n\n{doc.fix}\n"
    )


def render_index(docs: tuple[CodeDoc, ...]) -> str:
    lines = [
        "# Problem codes\n",
        "Every problem bib-lsp reports carries one of these stable codes.\n",
        "| code | severity | what it checks |",
        "| --- | --- | --- |",
    ]
    for doc in sorted(docs, key=lambda d: d.code):
        lines.append(f"| [`{doc.code}`]({doc.code}.md) | {doc.severity.value} | {doc.summary} |")
    return "\n".join(lines) + "\n"


def all_docs() -> tuple[CodeDoc, ...]:
    """The documentation of every code: the parser's and the rules'."""
    from bib_lsp.rules import RULES

    return SYNTAX_CODES + tuple(rule.doc for rule in RULES.values())


def pages() -> dict[str, str]:
    """File name -> content of every generated page."""
    docs = all_docs()
    out = {f"{doc.code}.md": render(doc) for doc in docs}
    out["README.md"] = render_index(docs)
    return out


def vscode_manifest(text: str) -> str:
    """The extension's package.json ``text`` with the codes of
    ``bibLsp.diagnostics.ignore`` (and their summaries) as they are now."""
    manifest = json.loads(text)
    settings = manifest["contributes"]["configuration"]["properties"]
    docs = sorted(all_docs(), key=lambda d: d.code)
    items = settings["bibLsp.diagnostics.ignore"]["items"]
    items["enum"] = [doc.code for doc in docs]
    items["enumDescriptions"] = [doc.summary for doc in docs]
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    for folder in (DOCS_DIR, PACKAGE_DOCS_DIR):
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in pages().items():
            (folder / name).write_text(content, encoding="utf-8")
        print(f"wrote {len(pages())} pages to {folder}")
    if VSCODE_MANIFEST.exists():
        text = VSCODE_MANIFEST.read_text(encoding="utf-8")
        VSCODE_MANIFEST.write_text(vscode_manifest(text), encoding="utf-8")
        print(f"updated the problem codes in {VSCODE_MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
