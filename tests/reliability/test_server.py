"""The server over stdio on hostile documents (issue 10): every advertised request
at several places (the astral characters' included, and places inside a surrogate
pair or a UTF-8 sequence, past the end of a line and of the file) gets a result or
a proper error within a bound, no handler fails (the guard would log a traceback),
every position in an answer lies in the document and on a character boundary, and
the server's memory stays bounded."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bib_lsp.document.io import decode_bib
from tests.reliability.hostile import (
    BOM,
    HEAVY,
    SAMPLE,
    Case,
    astral_offsets,
    fake_pdf,
    light_cases,
    small_cases,
    write_big_file,
    write_long_line,
)
from tools.raw_lsp import Message, RawLspClient

MB = 1 << 20
CASES = light_cases()
HEAVY_CASES = [c for c in small_cases() if c.name in HEAVY]
BREAK = re.compile(r"\r\n|\r|\n")


class Server(RawLspClient):
    """The server initialised by a client of every feature, positions in
    ``encoding``, diagnostics pulled with ``pull``, ``root`` its workspace folder;
    every wait 5 s unless told."""

    def __init__(self, encoding: str = "utf-16", pull: bool = False, root: Path | None = None):
        super().__init__(timeout=5)
        self.pull = pull
        capabilities: Message = {
            "general": {"positionEncodings": [encoding]},
            "window": {"workDoneProgress": True},
            "workspace": {"configuration": True, "workspaceFolders": True},
            "textDocument": {
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
                "definition": {"linkSupport": True},
                "completion": {"completionItem": {"snippetSupport": True}},
                "foldingRange": {"lineFoldingOnly": True},
                "semanticTokens": {
                    "requests": {"full": True, "range": True},
                    "tokenTypes": [],
                    "tokenModifiers": [],
                    "formats": ["relative"],
                },
            },
        }
        if pull:
            capabilities["textDocument"]["diagnostic"] = {}
        self.initialize(capabilities, root=root, timeout=30)


def memory_bound(size: int, entries: int = 0, fields: int = 0) -> int:
    """12 times the file and 150 MiB, plus 10 KiB per entry and 2 KiB per field: the
    server keeps about 8 KiB per entry (100,000 entries: 830 MiB), which for short
    entries packed on one line is more than 12 bytes per byte; and an entry of
    100,000 unknown fields is 100,000 diagnostics and outline symbols (about
    350 MiB, 3 MB of text)."""
    return 12 * size + 150 * MB + 10 * 1024 * entries + 2 * 1024 * fields


class Text:
    """A document's lines, for turning offsets into positions and checking the
    positions the server sends."""

    def __init__(self, text: str, encoding: str):
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [m.end() for m in BREAK.finditer(text)]
        ends = [m.start() for m in BREAK.finditer(text)] + [len(text)]
        self.ends = ends
        self._encoded: dict[int, bytes] = {}

    def _line_bytes(self, line: int) -> bytes:
        data = self._encoded.get(line)
        if data is None:
            codec = "utf-8" if self.encoding == "utf-8" else "utf-16-le"
            chars = self.text[self.starts[line] : self.ends[line]]
            data = chars.encode(codec, "surrogatepass")
            if len(self._encoded) > 64:
                self._encoded.clear()
            self._encoded[line] = data
        return data

    def _unit(self) -> int:
        return {"utf-8": 1, "utf-16": 2, "utf-32": 4}[self.encoding]

    def position(self, offset: int) -> dict[str, int]:
        line = max(i for i in self._lines_at_or_before(offset))
        chars = self.text[self.starts[line] : offset]
        if self.encoding == "utf-32":
            return {"line": line, "character": len(chars)}
        codec = "utf-8" if self.encoding == "utf-8" else "utf-16-le"
        return {"line": line, "character": len(chars.encode(codec)) // self._unit()}

    def _lines_at_or_before(self, offset: int) -> Iterator[int]:
        import bisect

        yield bisect.bisect_right(self.starts, offset) - 1

    def check(self, where: dict[str, int], what: str) -> None:
        line, character = where["line"], where["character"]
        assert 0 <= line < len(self.starts), (what, where)
        if self.encoding == "utf-32":
            assert 0 <= character <= self.ends[line] - self.starts[line], (what, where)
            return
        data = self._line_bytes(line)
        unit = self._unit()
        assert 0 <= character * unit <= len(data), (what, where, len(data))
        if character * unit < len(data) and character > 0:
            if unit == 1:  # not a continuation byte
                assert not 0x80 <= data[character] < 0xC0, (what, where)
            else:  # not after a high surrogate
                high = int.from_bytes(data[2 * character - 2 : 2 * character], "little")
                assert not 0xD800 <= high < 0xDC00, (what, where)

    def check_answer(self, answer: Any, what: str) -> int:
        """Check every position in ``answer``; the number checked."""
        count = 0
        stack = [answer]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if set(item) == {"line", "character"}:
                    self.check(item, what)
                    count += 1
                else:
                    stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        return count

    def check_tokens(self, data: list[int]) -> None:
        line = start = 0
        for i in range(0, len(data), 5):
            delta_line, delta_start, length = data[i : i + 3]
            line += delta_line
            start = start + delta_start if delta_line == 0 else delta_start
            self.check({"line": line, "character": start}, "semantic token start")
            self.check({"line": line, "character": start + length}, "semantic token end")


def probe_offsets(text: str, most: int = 40) -> list[int]:
    """Places to ask about: the ends, the middle, the astral characters (before,
    and after each), line ends."""
    n = len(text)
    found = {0, n, n // 2, n // 3, max(n - 1, 0)}
    for offset in astral_offsets(text)[:most]:
        found |= {offset, offset + 1}
    for m in list(BREAK.finditer(text))[:5]:
        found.add(m.start())
    return sorted(found)[: most * 2 + 10]


def inside_character(text: Text, offset: int) -> dict[str, int] | None:
    """A position in the middle of the astral character at ``offset`` (a low
    surrogate's place in UTF-16, a continuation byte in UTF-8)."""
    if offset >= len(text.text) or ord(text.text[offset]) <= 0xFFFF or text.encoding == "utf-32":
        return None
    where = text.position(offset)
    return {"line": where["line"], "character": where["character"] + 1}


def ask_everything(
    server: Server, uri: str, text: Text, offsets: list[int], timeout: float
) -> dict[str, float]:
    """Send every request at the offsets (and in the middle of astral characters,
    and past the ends); check each answer. The slowest time per method."""
    took: dict[str, float] = {}
    doc = {"uri": uri}
    last = len(text.starts) - 1
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": last + 1, "character": 0}}

    def ask(method: str, params: dict[str, Any]) -> None:
        began = time.monotonic()
        answer = server.request(method, params, timeout=timeout)
        took[method] = max(took.get(method, 0.0), time.monotonic() - began)
        if "error" in answer:
            # Refusals (a rename at no name) and unreadable parameters only.
            assert answer["error"]["code"] in (-32602, -32803), (method, answer["error"])
            return
        result = answer["result"]
        if method.startswith("textDocument/semanticTokens") and result:
            text.check_tokens(result["data"])
        elif method != "textDocument/formatting":
            text.check_answer(result, method)
        assert not server.errors, server.errors[0][-3000:]

    caps = server.capabilities
    ask("textDocument/documentSymbol", {"textDocument": doc})
    ask("textDocument/foldingRange", {"textDocument": doc})
    ask("textDocument/semanticTokens/full", {"textDocument": doc})
    ask("textDocument/semanticTokens/range", {"textDocument": doc, "range": whole})
    ask("textDocument/documentLink", {"textDocument": doc})
    ask(
        "textDocument/formatting",
        {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}},
    )
    if "diagnosticProvider" in caps and server.pull:
        ask("textDocument/diagnostic", {"textDocument": doc})
    ask(
        "textDocument/codeAction",
        {"textDocument": doc, "range": whole, "context": {"diagnostics": []}},
    )
    positions = [text.position(o) for o in offsets]
    positions += [p for p in (inside_character(text, o) for o in offsets) if p is not None]
    positions += [
        {"line": last, "character": 10**6},  # past the end of the last line
        {"line": last + 3, "character": 2},  # past the end of the file
        {"line": 0, "character": 10**6},
    ]
    for where in positions:
        at = {"textDocument": doc, "position": where}
        ask("textDocument/hover", at)
        ask("textDocument/completion", at)
        ask("textDocument/definition", at)
        ask("textDocument/references", {**at, "context": {"includeDeclaration": True}})
        ask("textDocument/selectionRange", {"textDocument": doc, "positions": [where]})
        ask("textDocument/prepareRename", at)
        ask(
            "textDocument/codeAction",
            {
                "textDocument": doc,
                "range": {"start": where, "end": where},
                "context": {"diagnostics": []},
            },
        )
        ask(
            "textDocument/rangeFormatting",
            {
                "textDocument": doc,
                "range": {"start": {"line": 0, "character": 0}, "end": where},
                "options": {"tabSize": 2, "insertSpaces": True},
            },
        )
    ask("workspace/symbol", {"query": "k"})
    ask("bibLsp/status", {"textDocument": doc})
    return took


def open_document(server: Server, uri: str, text: str, timeout: float) -> float:
    began = time.monotonic()
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "bibtex", "version": 1, "text": text}},
    )
    if server.pull:
        answer = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout)
        assert "result" in answer, answer
        diagnostics = answer["result"].get("items", [])
    else:
        diagnostics = server.published(uri, 1, timeout)["diagnostics"]
    checker = Text(text, server.encoding)
    checker.check_answer(diagnostics, "diagnostics")
    return time.monotonic() - began


@pytest.fixture(scope="module", params=["utf-16", "utf-8"])
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """VS Code's way (UTF-16, pushed diagnostics) and Neovim's (UTF-8, pulled)."""
    encoding = request.param
    started = Server(encoding=encoding, pull=encoding == "utf-8")
    assert started.encoding == encoding
    yield started
    started.close()
    assert started.closed_cleanly


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_request_on_a_hostile_document(case: Case, server: Server) -> None:
    every_request(case, server, most=40, bound=5)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.slow) if c.name == "fields-100k" else c
        for c in HEAVY_CASES
    ],
    ids=[c.name for c in HEAVY_CASES],
)
def test_every_request_on_a_heavy_document(case: Case) -> None:
    """Those whose whole-document answers are large (100,000 fields are 100,000
    outline symbols, as many as a 50,000-entry file's) have the 50 MB file's
    bound, and are asked about at fewer places, by one client."""
    server = Server(encoding="utf-16")
    try:
        every_request(case, server, most=2, bound=30)
    finally:
        server.close()


def every_request(case: Case, server: Server, most: int, bound: float) -> None:
    text = decode_bib(case.data).text  # as an editor would have read the file
    uri = f"file:///hostile/{case.name}.bib"
    open_document(server, uri, text, timeout=30)
    offsets = probe_offsets(text, most=most)
    took = ask_everything(server, uri, Text(text, server.encoding), offsets, timeout=bound)
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert max(took.values()) < bound
    rss = server.rss()
    bound = memory_bound(len(case.data), case.data.count(b"@"), case.data.count(b"="))
    assert rss < bound, (rss / MB, case.name)


def test_edits_that_split_an_astral_character_are_taken() -> None:
    """A change whose range starts or ends inside a surrogate pair (or a UTF-8
    sequence) is applied at the character's start, and the server goes on."""
    text = SAMPLE + "@misc{e\U0001f600x, note = {\U0010ffff}}\n"
    for encoding in ("utf-16", "utf-8"):
        server = Server(encoding=encoding)
        try:
            uri = "file:///hostile/split.bib"
            open_document(server, uri, text, timeout=10)
            lines = Text(text, encoding)
            where = inside_character(lines, text.index("\U0001f600"))
            assert where is not None
            change = {"range": {"start": where, "end": where}, "text": "\U00020000"}
            server.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]},
            )
            server.published(uri, 2, timeout=10)
            at = text.index("\U0001f600")  # rounded down to the character's start
            edited = Text(text[:at] + "\U00020000" + text[at:], encoding)
            ask_everything(server, uri, edited, [0, at, at + 1, len(text) - 3], timeout=5)
        finally:
            server.close()
        assert server.closed_cleanly
        assert not server.errors


def test_exit_while_a_large_document_is_checked_is_quiet() -> None:
    """`shutdown` and `exit` while a large document is checked in the background:
    the check, cancelled on the way out, reports its end to an output already
    closed. That failure was reported to the client through the same output,
    which failed again, a traceback a round until the recursion limit (seconds of
    tracebacks before the process ended)."""
    text = "".join(
        f"@article{{k{i}, author = {{A. Author}}, title = {{T {i}}}, year = 2001}}\n"
        for i in range(20_000)
    )
    server = Server(encoding="utf-16")
    try:
        uri = "file:///hostile/staged.bib"
        open_document(server, uri, text, timeout=30)
        server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}}, 30)
    finally:
        server.close()  # the complete check is still to come
    assert server.closed_cleanly
    assert "Traceback" not in server.stderr(), server.stderr()[:3000]


def test_the_workspace_scan_skips_what_it_cannot_read(tmp_path: Path) -> None:
    """Files named .bib that are a PDF, not UTF-8, full of NULs or UTF-16 are read
    by the workspace scan without failing; the good file's entries and macros are
    found."""
    (tmp_path / "paper.bib").write_bytes(fake_pdf())
    (tmp_path / "latin.bib").write_bytes(b"@misc{latin, note = {caf\xe9}}\n\xff\xfe")
    (tmp_path / "nul.bib").write_bytes(b"@misc{n\0l, note = {\0}}\n" + b"\0" * 5000)
    (tmp_path / "wide.bib").write_bytes(b"\xff\xfe" + "@misc{wide, note={x}}\n".encode("utf-16-le"))
    (tmp_path / "bom.bib").write_bytes(BOM + b"@string{bommacro = {B}}\n")
    (tmp_path / "good.bib").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "unreadable.bib").mkdir()  # a folder named like a file
    server = Server(root=tmp_path)
    try:
        server.wait_for("$/progress", timeout=30)  # the scan has begun
        deadline = time.monotonic() + 30
        names: set[str] = set()
        while time.monotonic() < deadline:
            answer = server.request("workspace/symbol", {"query": ""}, timeout=5)
            names = {s["name"] for s in answer["result"] or []}
            if {"knuth1984", "latin", "wide"} <= names:
                break
            time.sleep(0.2)
        assert {"knuth1984", "lamport1994", "latin", "wide"} <= names, names
        uri = (tmp_path / "new.bib").as_uri()
        text = "@article{x, journal = "
        open_document(server, uri, text, timeout=10)
        answer = server.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": 0, "character": len(text)}},
        )
        items = (
            answer["result"]["items"] if isinstance(answer["result"], dict) else answer["result"]
        )
        labels = {item["label"] for item in items}
        assert {"jacm", "bommacro"} <= labels, sorted(labels)[:50]
        server.drain(0.5)
        assert not server.errors, server.errors[0][-3000:]
    finally:
        server.close()


@pytest.mark.slow  # about 35 s per client on a shared 2-core machine
@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_the_five_megabyte_line(tmp_path: Path, encoding: str) -> None:
    """33,334 entries on one line, an astral character in each."""
    text = write_long_line(tmp_path / "line.bib").read_text(encoding="utf-8")
    n = len(text)
    offsets = [0, 7, n // 2, n - 1, n, *(n - 300 + o for o in astral_offsets(text[-300:])[:2])]
    server = Server(encoding=encoding, pull=encoding == "utf-8")
    every_request_on_a_big_file(server, text, offsets, f"5 MB line, {encoding}", bound=30)


@pytest.mark.slow
def test_the_fifty_megabyte_file(tmp_path: Path) -> None:
    """227,000 entries (twice the benchmarks' largest file): the first answers
    fill every per-block cache, so each may take a minute on a shared machine."""
    text = write_big_file(tmp_path / "big.bib").read_text(encoding="utf-8")
    n = len(text)
    offsets = [0, 10, n // 2, n - 5, n, *astral_offsets(text[:20_000])[:2]]
    every_request_on_a_big_file(Server(encoding="utf-16"), text, offsets, "50 MB file", bound=120)


def every_request_on_a_big_file(
    server: Server, text: str, offsets: list[int], name: str, bound: float
) -> None:
    """Open, every request at ``offsets`` within ``bound`` seconds each, peak memory
    bounded, and a clean shutdown."""
    try:
        uri = "file:///hostile/big.bib"
        opened = open_document(server, uri, text, timeout=bound)
        took = ask_everything(server, uri, Text(text, server.encoding), offsets, timeout=bound)
        rss = server.peak_rss()
        print(
            f"{name}: open {opened:.1f} s, slowest {max(took.values()):.1f} s"
            f" ({max(took, key=took.__getitem__)}), peak RSS {rss / MB:.0f} MiB"
        )
        assert rss < memory_bound(len(text.encode()), text.count("@"))
    finally:
        server.close()
    assert server.closed_cleanly
    assert not server.errors
