"""Editor features built on the syntax tree and the index: where the cursor is,
completion, hover, ... (no LSP types here; `bib_lsp/lsp/` converts)."""
