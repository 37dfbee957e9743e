-- bib-lsp for Neovim 0.11+: put this directory on 'runtimepath' (or copy this
-- file to ~/.config/nvim/lsp/bib_lsp.lua), then call vim.lsp.enable("bib_lsp").
-- Override anything with vim.lsp.config("bib_lsp", { ... }).
return require("bib_lsp").config()
