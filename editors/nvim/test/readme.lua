-- Headless run of one of the README's Neovim configuration blocks, run by
-- tests/editors/test_neovim_readme.py:
--   BIB_LSP_RTP=editors/nvim BIB_LSP_BLOCK=block.lua BIB_LSP_OUT=out.json \
--   BIB_LSP_NEW_KEY=newkey nvim --headless -u NONE -c "luafile editors/nvim/test/readme.lua" FILE.bib
-- Runs the block as a user's init.lua would (with editors/nvim on the runtime
-- path and bib-lsp on PATH), opens FILE.bib, keeps every diagnostics report
-- (pushed or pulled) and every message the server shows, renames the key under
-- the cursor to BIB_LSP_NEW_KEY with vim.lsp.buf.rename(), writes the changed
-- buffers, and writes what it saw as JSON.
local out_path = os.getenv("BIB_LSP_OUT")
vim.opt.runtimepath:prepend(os.getenv("BIB_LSP_RTP"))
vim.cmd("filetype on")

local result = {
  version = tostring(vim.version().major) .. "." .. tostring(vim.version().minor),
  reports = {},
  shown = {},
  notified = {},
}
local function finish(why)
  result.why = why
  result.messages = vim.fn.execute("messages")
  local file = io.open(out_path, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd(why and "cquit 1" or "qa!")
end

local function codes(items)
  local out = {}
  for _, d in ipairs(items or {}) do
    table.insert(out, d.code or vim.NIL)
  end
  return out
end

-- Every report as it reaches the client, in order (before the default handlers).
local handlers = vim.lsp.handlers
local publish = handlers["textDocument/publishDiagnostics"]
handlers["textDocument/publishDiagnostics"] = function(err, params, ctx, config)
  if params then
    table.insert(result.reports, { how = "push", codes = codes(params.diagnostics) })
  end
  return publish(err, params, ctx, config)
end
local pulled = handlers["textDocument/diagnostic"]
if pulled then
  handlers["textDocument/diagnostic"] = function(err, report, ctx, config)
    if report and report.kind == "full" then
      table.insert(result.reports, { how = "pull", codes = codes(report.items) })
    end
    return pulled(err, report, ctx, config)
  end
end
local show = handlers["window/showMessage"]
handlers["window/showMessage"] = function(err, params, ctx, config)
  table.insert(result.shown, { type = params.type, message = params.message })
  return show(err, params, ctx, config)
end
local notify = vim.notify
vim.notify = function(message, level, opts)
  table.insert(result.notified, { message = tostring(message), level = level or vim.NIL })
  return notify(message, level, opts)
end

local function run()
  -- The README's block, verbatim.
  dofile(os.getenv("BIB_LSP_BLOCK"))

  vim.cmd("edit " .. vim.fn.fnameescape(vim.fn.argv(0)))
  result.filetype = vim.bo.filetype
  if not vim.wait(30000, function() return #result.reports > 0 end, 20) then
    return finish("no diagnostics within 30 s")
  end
  vim.wait(500) -- anything that comes after the first report (a warning, a second report)

  -- Rename the key of the first entry (the cursor on it, as a user would).
  local bib = vim.api.nvim_get_current_buf()
  local first = vim.api.nvim_buf_get_lines(bib, 0, 1, false)[1]
  vim.api.nvim_win_set_cursor(0, { 1, (first:find("{", 1, true)) })
  local new_key = os.getenv("BIB_LSP_NEW_KEY")
  vim.lsp.buf.rename(new_key)
  local function renamed()
    return table.concat(vim.api.nvim_buf_get_lines(bib, 0, 1, false)):find(new_key, 1, true) ~= nil
  end
  if not vim.wait(20000, renamed, 20) then
    return finish("the key was not renamed within 20 s")
  end
  vim.wait(500)
  vim.cmd("silent! wall")
  finish(nil)
end

-- A Lua error would leave headless Neovim waiting: it ends the run, told.
local ok, err = xpcall(run, debug.traceback)
if not ok then
  finish("error: " .. tostring(err))
end
