-- bib-lsp, the BibTeX and biblatex language server, for Neovim.
--
-- Neovim 0.11+:  vim.lsp.enable("bib_lsp")       (uses lsp/bib_lsp.lua)
-- Neovim 0.7-0.10: require("bib_lsp").setup({ settings = { bibLsp = { ... } } })
local M = {}

-- Files whose folder is taken as the project's root, nearest folder first; with
-- none above the file, its own folder is the root (so that rename still reaches
-- the LaTeX files beside it).
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

-- The server expects the LSP language id "bibtex" for the filetype "bib".
local function language_id()
  return "bibtex"
end

--- before_init for both paths: the final settings.bibLsp (after every
--- vim.lsp.config merge) go out as initializationOptions, so that the first
--- diagnostics already follow them; init_options given by hand win.
function M.before_init(params, config)
  if config.init_options ~= nil and next(config.init_options) ~= nil then
    return
  end
  local settings = (config.settings or {}).bibLsp
  if settings == nil or next(settings) == nil then
    settings = vim.empty_dict() -- sent as {}, not as the [] of an empty table
  end
  params.initializationOptions = settings
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

--- The configuration table for vim.lsp.config (Neovim 0.11+).
function M.config(opts)
  local config = merged(opts)
  config.get_language_id = language_id
  config.before_init = config.before_init or M.before_init
  -- A function, not root_markers: without a marker the file's folder is the root
  -- (root_markers would start the server with none, and rename would not see
  -- the .tex files).
  config.root_dir = config.root_dir
    or function(bufnr, on_dir)
      local name = vim.api.nvim_buf_get_name(bufnr)
      if name ~= "" then
        on_dir(M.root_dir(name))
      end
    end
  return config
end

local function start(config, bufnr)
  local root = M.root_dir(vim.api.nvim_buf_get_name(bufnr))
  local params = {
    name = "bib_lsp",
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    settings = config.settings,
    init_options = config.init_options,
    before_init = config.before_init or M.before_init,
    get_language_id = language_id,
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
