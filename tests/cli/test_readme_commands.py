"""The README's command lines for CI and for editors' lint and format plugins
(conform.nvim, nvim-lint, ALE, Flycheck, `formatprg`), run as the plugins run them:
the buffer on standard input, the output parsed with the README's own patterns
(Lua's in Neovim, Vim's in Neovim, Flycheck's `rx` in Emacs, each skipped when the
editor is absent). The plugins themselves are not installed here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
BIN = str(Path(sys.executable).parent)  # where `bib-lsp` is installed with this Python
ENV = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
BUFFER = "@misc{k,\n  title = {T}\n  year = 2001}\n@misc{j, note = nm,\n  ulr = {x}}"
EXPECTED = [  # (line, column, severity, code) of what `check` says about BUFFER
    (2, 14, "error", "missing-comma"),
    (4, 17, "warning", "undefined-macro"),
    (5, 3, "hint", "unknown-field"),
]


def shell(
    command: str, stdin: str = "", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        shell=True,
        input=stdin,
        capture_output=True,
        text=True,
        env=ENV,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_the_commands_are_the_readmes() -> None:
    for snippet in (
        'args = { "format", "--stdin-filename", "$FILENAME", "-" }',
        '"check", "--stdin-filename", function() return vim.api.nvim_buf_get_name(0) end, "-"',
        "'command': 'bib-lsp check --stdin-filename %s -'",
        "{'command': 'bib-lsp format --stdin-filename %s -'}",
        ':command ("bib-lsp" "check" "--stdin-filename" source-original "-")',
        "formatprg=bib-lsp\\ format\\ -",
        "bib-lsp check --min-severity warning .",
        "bib-lsp format --check .",
    ):
        assert snippet in README, snippet


def test_the_format_command_of_conform_ale_and_formatprg(tmp_path: Path) -> None:
    (tmp_path / "bib-lsp.toml").write_text("[format]\nindent = 4\n", encoding="utf-8")
    name = tmp_path / "refs.bib"  # as conform's $FILENAME and ALE's %s give it
    result = shell(f"bib-lsp format --stdin-filename '{name}' -", "@misc{k,title={T}}")
    assert (result.returncode, result.stdout) == (0, "@misc{k,\n    title = {T}\n}\n")
    result = shell("bib-lsp format -", "@misc{k,title={T}}")  # formatprg
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "@misc{k,\n  title = {T}\n}\n",
        "",
    )


def check_output(name: str = "/home/me/refs.bib") -> list[str]:
    result = shell(f"bib-lsp check --stdin-filename '{name}' -", BUFFER)
    assert result.returncode == 1  # an error: the plugins ignore the status
    return result.stdout.splitlines()


def test_the_ci_lines(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@misc{k, note = nm}\n", encoding="utf-8")
    assert shell("bib-lsp check --min-severity warning .", cwd=tmp_path).returncode == 1
    assert shell("bib-lsp format --check .", cwd=tmp_path).returncode == 1


def _readme(pattern: str) -> str:
    match = re.search(pattern, README, re.DOTALL)
    assert match is not None, pattern
    return match.group(1)


NVIM = shutil.which("nvim")


@pytest.mark.skipif(NVIM is None, reason="no Neovim")
def test_nvim_lint_pattern_reads_every_line(tmp_path: Path) -> None:
    pattern = _readme(r'from_pattern\(\n\s*"([^"]+)"')
    lines = check_output("C:/Users/me/refs: 2024.bib")  # colons in the name too
    (tmp_path / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = tmp_path / "parse.lua"
    script.write_text(
        f"local pattern = {_lua_string(pattern)}\n"
        "local out = {}\n"
        f"for line in io.lines({_lua_string(str(tmp_path / 'lines.txt'))}) do\n"
        "  local l, c, s, code = line:match(pattern)\n"
        "  table.insert(out, table.concat({l, c, s, code}, ' '))\n"
        "end\n"
        "io.write(table.concat(out, '\\n'))\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-c", f"luafile {script}", "-c", "qa!"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    said = (result.stdout or result.stderr).strip().splitlines()  # io.write: stdout
    assert said == [" ".join(map(str, e)) for e in EXPECTED]


@pytest.mark.skipif(NVIM is None, reason="no Neovim")
def test_ale_pattern_reads_every_line(tmp_path: Path) -> None:
    pattern = _readme(r"let l:pattern = '([^']+)'")
    lines = check_output()
    (tmp_path / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    vim = tmp_path / "parse.vim"
    vim.write_text(
        f"let s:pattern = '{pattern}'\n"
        "let s:out = []\n"
        f"for s:line in readfile('{tmp_path / 'lines.txt'}')\n"
        "  let s:m = matchlist(s:line, s:pattern)\n"
        "  call add(s:out, join(s:m[1:4], ' '))\n"
        "endfor\n"
        f"call writefile(s:out, '{tmp_path / 'out.txt'}')\n",
        encoding="utf-8",
    )
    subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-c", f"source {vim}", "-c", "qa!"],
        capture_output=True,
        timeout=60,
        check=True,
    )
    said = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    assert said == [" ".join(map(str, e)) for e in EXPECTED]


@pytest.mark.skipif(NVIM is None, reason="no Neovim")
def test_formatprg_formats_with_gq(tmp_path: Path) -> None:
    autocmd = _readme(r"\n(autocmd FileType bib setlocal formatprg=[^\n]+)\n")
    path = tmp_path / "refs.bib"
    path.write_text("@misc{k,title={T}}\n@misc{j,note={N}}\n", encoding="utf-8")
    subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-c", "filetype on", "-c", autocmd,
         "-c", "edit " + str(path), "-c", "normal! gggqG", "-c", "wq"],
        capture_output=True,
        env=ENV,
        timeout=60,
        check=True,
    )  # fmt: skip
    assert path.read_text(encoding="utf-8") == (
        "@misc{k,\n  title = {T}\n}\n@misc{j,\n  note = {N}\n}\n"
    )


EMACS = shutil.which("emacs")


@pytest.mark.skipif(EMACS is None, reason="no Emacs")
def test_flycheck_patterns_read_every_line(tmp_path: Path) -> None:
    """Flycheck is not installed: its pattern forms (`line`, `column`, `id`,
    `message`) are defined with `rx-let` as Flycheck defines them (groups)."""
    patterns = _readme(r":error-patterns\n\s*\((.*?)\)\n\s*:modes")
    lines = check_output()
    (tmp_path / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    program = f"""
(rx-let ((line (group-n 2 (one-or-more digit)))
         (column (group-n 3 (one-or-more digit)))
         (id (x) (group-n 5 x))
         (message () (group-n 4 (zero-or-more not-newline))))
  (let ((patterns (list {" ".join(_elisp_patterns(patterns))}))
        (out nil))
    (with-temp-buffer
      (insert-file-contents {_lua_string(str(tmp_path / "lines.txt"))})
      (dolist (text (split-string (buffer-string) "\\n" t))
        (let ((hit nil))
          (dolist (p patterns)
            (when (and (not hit) (string-match (cdr p) text))
              (setq hit (format "%s %s %s %s" (match-string 2 text) (match-string 3 text)
                                (car p) (match-string 5 text)))))
          (push (or hit "none") out))))
    (princ (mapconcat #'identity (nreverse out) "\\n"))))
"""
    result = subprocess.run(
        [EMACS, "--batch", "--eval", program],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.splitlines() == [
        "2 14 error missing-comma",
        "4 17 warning undefined-macro",
        "5 3 info unknown-field",
    ], result.stderr


def _elisp_patterns(block: str) -> list[str]:
    """`(LEVEL RX...)` forms of the README's block, as `(cons 'LEVEL (rx RX...))`."""
    out, depth, start = [], 0, None
    for i, char in enumerate(block):
        if char == "(":
            if depth == 0:
                start = i
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and start is not None:
                level, _, body = block[start + 1 : i].partition(" ")
                out.append(f"(cons '{level} (rx {body}))")
    return out


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
