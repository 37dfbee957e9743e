-- bib-lsp, the BibTeX and biblatex language server, for Neovim.
--
-- Neovim 0.11+:  vim.lsp.enable("bib_lsp")       (uses lsp/bib_lsp.lua)
-- Neovim 0.7-0.10: require("bib_lsp").setup({ settings = { bibLsp = { ... } } })
local M = {}

-- Files whose folder is taken as the project's root, nearest first.
M.root_markers = { "bib-lsp.toml", "pyproject.toml", ".latexmkrc", ".git" }

local defaults = {
  cmd = { "bib-lsp" },
  filetypes = { "bib" },
  -- Settings under the "bibLsp" section (dialect, diagnostics, citation, format),
  -- sent at start-up and whenever the server asks for its configuration.
  settings = { bibLsp = {} },
}

local function merged(opts)
  return vim.tbl_deep_extend("force", {}, defaults, opts or {})
end

--- The configuration table for vim.lsp.config (Neovim 0.11+).
function M.config(opts)
  local config = merged(opts)
  config.root_markers = config.root_markers or M.root_markers
  -- The server expects the LSP language id "bibtex" for the filetype "bib".
  config.get_language_id = function()
    return "bibtex"
  end
  config.init_options = config.init_options or config.settings.bibLsp
  return config
end

--- The folder holding the nearest root marker above `path` (else its own folder).
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while true do
    for _, marker in ipairs(M.root_markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return vim.fn.fnamemodify(path, ":p:h")
    end
    dir = parent
  end
end

local function start(config, bufnr)
  local root = M.root_dir(vim.api.nvim_buf_get_name(bufnr))
  local params = {
    name = "bib_lsp",
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    settings = config.settings,
    init_options = config.init_options or config.settings.bibLsp,
    get_language_id = function()
      return "bibtex"
    end,
  }
  if vim.lsp.start then -- 0.8+: reuses a running client for the same root
    return vim.lsp.start(params, { bufnr = bufnr })
  end
  -- 0.7: one client per root, attached by hand.
  M._clients = M._clients or {}
  local id = M._clients[root]
  if not id or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(params)
    M._clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- For Neovim 0.7 to 0.10: start bib-lsp for every buffer of filetype "bib".
function M.setup(opts)
  local config = merged(opts)
  local group = vim.api.nvim_create_augroup("bib_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      start(config, args.buf)
    end,
  })
end

return M
