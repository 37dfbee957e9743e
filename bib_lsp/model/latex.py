"""LaTeX in field values turned into Unicode text, with pylatexenc: accents
(`{\\"o}`, `\\'e`), escaped specials (`\\&`, `\\%`), dashes (`--`, `---`), quotes
and named symbols (`{\\textemdash}`), math made readable (`$\\alpha$` gives the Greek letter),
and case-protection braces dropped.

pylatexenc's defaults are extended with what bibliographies use and it does not
know: the TeX logos, `\\mbox`-like boxes that keep their text, `\\noopsort`-like
sorting hacks that print nothing of their argument, and `\\path`/`\\url` with
their argument kept verbatim.
"""

from __future__ import annotations

import functools
import re

from pylatexenc import latex2text, latexwalker, macrospec

# Macros that print their only argument as it is.
_BOXES = (
    "mbox",
    "hbox",
    "text",
    "textnormal",
    "textrm",
    "textup",
    "textmd",
    "texttt",
    "textsf",
    "textsl",
    "nolinkurl",
    "lowercase",
    "uppercase",
    "MakeLowercase",
    "MakeUppercase",
)
# Sorting hacks and citations: the argument prints nothing here.
_SILENT = (
    "noopsort",
    "sortnoop",
    "SortNoop",
    "noop",
    "NOOP",
    "cite",
    "citep",
    "citet",
    "parencite",
    "textcite",
    "autocite",
    "footcite",
)
# biblatex's and csquotes' quoting commands: their argument in quotation marks.
_QUOTES = ("mkbibquote", "enquote")
_LOGOS = {
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2ε",
    "BibTeX": "BibTeX",
    "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX",
    "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX",
    "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX",
    "ConTeXt": "ConTeXt",
    "AmS": "AMS",
    "AMS": "AMS",
    "AmSTeX": "AMS-TeX",
    "METAFONT": "METAFONT",
    "MF": "METAFONT",
    "MP": "MetaPost",
    "SliTeX": "SliTeX",
    "BibLaTeX": "BibLaTeX",
    "eTeX": "ε-TeX",
    "ExTeX": "ExTeX",
    "TUB": "TUGboat",
    "TUG": "TUG",
    "dots": "…",
    "hyphen": "-",
    "nbhyphen": "-",
    "textendash": "\u2013",
    "textemdash": "\u2014",
    "slash": "/",
    "-": "",  # a hyphenation point: prints nothing
    "S": "\u00a7",
    "P": "\u00b6",
}


@functools.cache
def _converter() -> tuple[latex2text.LatexNodes2Text, macrospec.LatexContextDb]:
    parsing = latexwalker.get_default_latex_context_db()
    parsing.add_context_category(
        "bib-lsp",
        prepend=True,
        macros=[
            *(macrospec.MacroSpec(name, "{") for name in (*_BOXES, *_SILENT)),
            *(macrospec.MacroSpec(name, "*{") for name in _QUOTES),
            macrospec.MacroSpec(
                "path", args_parser=macrospec.VerbatimArgsParser(verbatim_arg_type="verb-macro")
            ),
            macrospec.MacroSpec("url", "{"),
            macrospec.MacroSpec("textquote", "*[[{"),
        ],
        # Single quotes as TeX prints them (not inside \path or \url arguments,
        # which are read verbatim).
        specials=[macrospec.std_specials("`"), macrospec.std_specials("'")],
    )
    printing = latex2text.get_default_latex_context_db()
    printing.add_context_category(
        "bib-lsp",
        prepend=True,
        macros=[
            *(latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in _LOGOS.items()),
            *(latex2text.MacroTextSpec(name, discard=False) for name in _BOXES),
            *(latex2text.MacroTextSpec(name, discard=True) for name in _SILENT),
            *(
                latex2text.MacroTextSpec(name, simplify_repl=_quoted)
                for name in (*_QUOTES, "textquote")
            ),
            latex2text.MacroTextSpec("path", simplify_repl=_verbatim),
            latex2text.MacroTextSpec("url", simplify_repl=_verbatim),
        ],
        specials=[
            latex2text.SpecialsTextSpec("`", "\u2018"),
            latex2text.SpecialsTextSpec("'", "\u2019"),
        ],
    )
    return latex2text.LatexNodes2Text(latex_context=printing, math_mode="text"), parsing


def _verbatim(node: latexwalker.LatexMacroNode, l2tobj: latex2text.LatexNodes2Text) -> str:
    """The argument of `\\path|...|` or `\\url{...}` exactly as written."""
    args = node.nodeargd
    if args is None:
        return ""
    verbatim = getattr(args, "verbatim_text", None)
    if verbatim is not None:
        return str(verbatim)
    arg = args.argnlist[-1] if args.argnlist else None
    if arg is None:
        return ""
    return str(arg.latex_verbatim())[1:-1] if arg.isNodeType(latexwalker.LatexGroupNode) else ""


def _quoted(node: latexwalker.LatexMacroNode, l2tobj: latex2text.LatexNodes2Text) -> str:
    args = node.nodeargd.argnlist if node.nodeargd is not None else []
    text = l2tobj.nodelist_to_text([args[-1]]) if args and args[-1] is not None else ""
    return f"\u201c{text}\u201d"


_NEEDS_PARSER = re.compile(r"[\\$%]")  # commands, math, comments
_LIGATURES = re.compile(r"---|--|``|''|`|'|~|[{}]")
_LIGATURE_TEXT = {
    "---": "\u2014",
    "--": "\u2013",
    "``": "\u201c",
    "''": "\u201d",
    "`": "\u2018",
    "'": "\u2019",  # as TeX prints it: "Goethe's" has a typographic apostrophe
}
_SPACES = re.compile(r"\s+")


def to_text(latex: str) -> str:
    """Unicode text for a LaTeX value, runs of white space made single spaces.
    Never raises: LaTeX it cannot read is given back as written.

    Text without commands, math or comments (most values) is done here: braces
    dropped, dashes, quotes and ties as TeX prints them; the rest by pylatexenc."""
    if _NEEDS_PARSER.search(latex):
        return _cached(latex)
    text = _LIGATURES.sub(
        lambda m: _LIGATURE_TEXT.get(m.group(0), " " if m.group(0) == "~" else ""), latex
    )
    return _SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=65536)
def _cached(latex: str) -> str:
    converter, parsing = _converter()
    try:
        text = converter.latex_to_text(latex, latex_context=parsing, tolerant_parsing=True)
    except Exception:  # pylatexenc gives up on some broken input: keep the text
        text = latex
    text = text.replace("\xa0", " ")
    return _SPACES.sub(" ", text).strip()
