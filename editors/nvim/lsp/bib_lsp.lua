-- bib-lsp for Neovim 0.11+: put this directory on 'runtimepath' (or copy this
-- file to ~/.config/nvim/lsp/bib_lsp.lua), then call vim.lsp.enable("bib_lsp").
-- Override anything with vim.lsp.config("bib_lsp", { ... }): the final
-- settings.bibLsp go out at initialize too (before_init), and a file with no
-- root marker above it has its own folder as the root (root_dir).
return require("bib_lsp").config()
