-- Headless check of the Neovim set-up, run by tests/editors/test_neovim.py:
--   BIB_LSP_RTP=editors/nvim BIB_LSP_OUT=out.json BIB_LSP_CMD='["python","-m","bib_lsp"]' \
--   nvim --headless -u NONE -c "luafile editors/nvim/test/check.lua" FILE.bib
-- Opens FILE.bib as a user would (filetype detection, the set-up of
-- lua/bib_lsp or lsp/bib_lsp.lua), waits for diagnostics, asks for completion
-- and hover, writes what it got as JSON and exits non-zero when something is
-- missing.
local out_path = os.getenv("BIB_LSP_OUT")
local cmd = vim.fn.json_decode(os.getenv("BIB_LSP_CMD"))
vim.opt.runtimepath:prepend(os.getenv("BIB_LSP_RTP"))
vim.cmd("filetype on")

local result = { version = tostring(vim.version().major) .. "." .. tostring(vim.version().minor) }
local function finish(ok, why)
  result.ok = ok
  result.why = why
  local file = io.open(out_path, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd(ok and "qa!" or "cquit 1")
end

-- BIB_LSP_SETUP=setup takes the 0.8-0.10 path (vim.lsp.start) on a newer Neovim too.
if vim.lsp.config and vim.lsp.enable and os.getenv("BIB_LSP_SETUP") ~= "setup" then
  result.setup = "vim.lsp.enable"
  vim.lsp.config("bib_lsp", { cmd = cmd })
  vim.lsp.enable("bib_lsp")
else
  result.setup = "require('bib_lsp').setup"
  require("bib_lsp").setup({ cmd = cmd })
end

vim.cmd("edit " .. vim.fn.fnameescape(vim.fn.argv(0)))
result.filetype = vim.bo.filetype

if not vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50) then
  return finish(false, "no diagnostics within 30 s")
end
result.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(result.diagnostics, { line = d.lnum, code = d.code, message = d.message })
end

local uri = vim.uri_from_bufnr(0)
local function request(method, line, character)
  local params = { textDocument = { uri = uri }, position = { line = line, character = character } }
  local replies = vim.lsp.buf_request_sync(0, method, params, 20000) or {}
  for _, reply in pairs(replies) do
    if reply.result then
      return reply.result
    end
  end
end

-- Completion where a field name goes: the line after "@article{k," (line 1, col 2).
local completion = request("textDocument/completion", 1, 2)
result.completion = {}
for _, item in ipairs(completion and (completion.items or completion) or {}) do
  table.insert(result.completion, { label = item.label, sort = item.sortText or item.label })
end
-- Hover on the key of the first entry (line 0, inside "k").
local hover = request("textDocument/hover", 0, 10)
result.hover = hover and hover.contents and (hover.contents.value or hover.contents) or nil

if #result.completion == 0 then
  return finish(false, "no completion items")
end
if not result.hover then
  return finish(false, "no hover")
end
finish(true, nil)
