"""BibTeX and biblatex entries as CSL-JSON items (the input of citeproc, pandoc and
Zotero).

An entry's values are first made plain LaTeX strings: `@string` macros and `#`
concatenation expanded, `crossref`/`xdata` parents' fields inherited (see
``model.inheritance``). Then each field goes to its CSL variable: names split by
BibTeX's rules (bibtexparser) into family, given, particle and suffix; dates from
`date` (ISO 8601, ranges, open ends) or `year`/`month`/`day` (both in
``model.csl_names_dates``); titles with their
subtitles; the container by entry type; and every text decoded from LaTeX to
Unicode (``model.latex``). The mapping is documented field by field in
`docs/csl-json.md`, with where it differs from pandoc's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bibtexparser.middlewares.names import split_multiple_persons_names

from bib_lsp.document import Document
from bib_lsp.model.csl_names_dates import CSL, issued_date, names, parse_date
from bib_lsp.model.index import BibIndex, biblatex_evidence, looks_biblatex
from bib_lsp.model.inheritance import inherit
from bib_lsp.model.latex import to_text
from bib_lsp.model.macros import predefined_text
from bib_lsp.model.requirements import BIBLATEX_FIELD_ALIASES, BIBLATEX_TYPE_ALIASES
from bib_lsp.syntax.block import comments_out_next
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, Value, view
from bib_lsp.text import LINE_BREAK_RE

MAX_DEPTH = 8  # macro and crossref chains deeper than this are cut (and cycles)

# biblatex entry type (after alias resolution) -> CSL type.
TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "bookinbook": "chapter",
    "inbook": "chapter",
    "suppbook": "chapter",
    "booklet": "pamphlet",
    "collection": "book",
    "mvcollection": "book",
    "incollection": "chapter",
    "suppcollection": "chapter",
    "dataset": "dataset",
    "manual": "book",
    "misc": "document",
    "online": "webpage",
    "patent": "patent",
    "periodical": "periodical",
    "suppperiodical": "article-journal",
    "proceedings": "book",
    "mvproceedings": "book",
    "inproceedings": "paper-conference",
    "reference": "book",
    "mvreference": "book",
    "inreference": "entry-encyclopedia",
    "report": "report",
    "software": "software",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "artwork": "graphic",
    "audio": "song",
    "image": "graphic",
    "jurisdiction": "legal_case",
    "legislation": "legislation",
    "legal": "treaty",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "video": "motion_picture",
    "music": "song",
    "performance": "performance",
    "review": "review",
    "standard": "standard",
}
_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
# Types whose `booktitle` (else `maintitle`) is the container.
_IN_BOOK = frozenset(
    {
        "inbook",
        "bookinbook",
        "suppbook",
        "incollection",
        "suppcollection",
        "inproceedings",
        "inreference",
    }
)
# `type` values biblatex turns into words (the others are printed as written).
GENRES = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master\u2019s thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
    "software": "Computer software",
    "datacd": "CD-ROM",
    "audiocd": "Audio CD",
}
# BibTeX's thesis and report types, with the `type` biblatex gives them.
_ALIAS_GENRES = {
    "phdthesis": "PhD thesis",
    "mastersthesis": "Master\u2019s thesis",
    "techreport": "Technical report",
}
# Fields copied as they are, to the variable named.
_PLAIN = {
    "volume": "volume",
    "volumes": "number-of-volumes",
    "pagetotal": "number-of-pages",
    "chapter": "chapter-number",
    "version": "version",
    "note": "note",
    "abstract": "abstract",
    "keywords": "keyword",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "venue": "event-place",
    "shorttitle": "title-short",
    "shortjournal": "container-title-short",
    "series": "collection-title",
    "howpublished": "medium",
    "annote": "annote",
    "annotation": "annote",
    "origtitle": "original-title",
    "origpublisher": "original-publisher",
    "origlocation": "original-publisher-place",
}
_NAMES = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
    "commentator": "contributor",
    "holder": "author",  # patents: the holder when there is no inventor
}
_DATES = {"urldate": "accessed", "eventdate": "event-date"}
# biblatex's `pubstate` keys, as the words it prints.
PUBSTATES = {
    "inpreparation": "in preparation",
    "submitted": "submitted",
    "forthcoming": "forthcoming",
    "inpress": "in press",
    "prepublished": "pre-published",
}
LANGUAGES = {
    "american": "en-US",
    "english": "en",
    "british": "en-GB",
    "canadian": "en-CA",
    "australian": "en-AU",
    "german": "de-DE",
    "ngerman": "de-DE",
    "austrian": "de-AT",
    "naustrian": "de-AT",
    "swissgerman": "de-CH",
    "nswissgerman": "de-CH",
    "french": "fr-FR",
    "spanish": "es-ES",
    "italian": "it-IT",
    "portuguese": "pt-PT",
    "brazilian": "pt-BR",
    "dutch": "nl-NL",
    "danish": "da-DK",
    "norwegian": "nb-NO",
    "nynorsk": "nn-NO",
    "swedish": "sv-SE",
    "finnish": "fi-FI",
    "polish": "pl-PL",
    "czech": "cs-CZ",
    "russian": "ru-RU",
    "greek": "el-GR",
    "latin": "la",
    "catalan": "ca-AD",
    "hungarian": "hu-HU",
    "turkish": "tr-TR",
    "japanese": "ja-JP",
    "chinese": "zh-CN",
}


@dataclass
class Sources:
    """Where the conversion looks up what an entry refers to (lower-case names).

    ``macro``: a `@string` macro's definition; ``entry``: an entry by key;
    ``outside``: a macro's LaTeX text from another file (already expanded)."""

    macro: Callable[[str], Value | None]
    entry: Callable[[str], Entry | None]
    dialect: str = "bibtex"
    outside: Callable[[str], str | None] = lambda name: None
    _expanding: set[str] = field(default_factory=set)

    def macro_text(self, name: str) -> str:
        """A macro's LaTeX text, nested macros expanded; "" when it is undefined
        (as BibTeX and biber print it) or defined through itself."""
        if name in self._expanding or len(self._expanding) > MAX_DEPTH:
            return ""
        value = self.macro(name)
        if value is None:
            text = predefined_text(name, self.dialect)
            return text if text is not None else (self.outside(name) or "")
        self._expanding.add(name)
        try:
            return self.expand(value)
        finally:
            self._expanding.discard(name)

    def expand(self, value: Value) -> str:
        """A value's LaTeX text: pieces concatenated, macros expanded."""
        parts = []
        for piece in value.pieces:
            if piece.kind is K.MACRO:
                parts.append(self.macro_text(piece.text.lower()))
            else:
                parts.append(piece.content)
        return "".join(parts)


def entry_type(entry: Entry) -> str:
    """The entry's biblatex type, aliases (`conference`, `phdthesis`...) resolved."""
    kind = entry.type_lower
    return BIBLATEX_TYPE_ALIASES.get(kind, kind)


def raw_fields(
    entry: Entry, sources: Sources, depth: int = 0, crossref: bool = True
) -> dict[str, str]:
    """The entry's fields as LaTeX text by lower-case name (the first of repeated
    ones; biblatex's old names under the new: `journal` as `journaltitle`), with
    what it inherits from its `crossref` and `xdata` parents."""
    own: dict[str, str] = {}
    for f in entry.fields:
        if not f.name or f.value is None:
            continue
        name = BIBLATEX_FIELD_ALIASES.get(f.name_lower, f.name_lower)
        if name not in own:
            own[name] = sources.expand(f.value)
    if depth >= MAX_DEPTH:
        return own
    child_type = entry_type(entry)
    for link in ("xdata", "crossref") if crossref else ("xdata",):
        for key in _keys(own.get(link, ""), link):
            parent = sources.entry(key.lower())
            if parent is None or parent is entry:
                continue
            # BibTeX inherits one level only; biblatex follows chains.
            one_level = link == "crossref" and sources.dialect == "bibtex"
            parent_fields = raw_fields(parent, sources, depth + 1, crossref=not one_level)
            dialect = "biblatex" if link == "xdata" else sources.dialect
            given = inherit(parent_fields, entry_type(parent), child_type, dialect)
            for name, text in given.items():
                own.setdefault(name, text)
    return own


def _keys(text: str, link: str) -> list[str]:
    if link == "crossref":
        return [text.strip()] if text.strip() else []
    return [k.strip() for k in text.split(",") if k.strip()]


def to_csl(entry: Entry, sources: Sources) -> CSL:
    """The CSL-JSON item for a regular entry."""
    raw = raw_fields(entry, sources)
    kind = entry_type(entry)
    item: CSL = {"id": entry.key or "", "citation-key": entry.key or ""}
    item["type"] = _SUBTYPES.get(raw.get("entrysubtype", "").strip().lower(), "") or TYPES.get(
        kind, "document"
    )
    for name, variable in _NAMES.items():
        if name in raw and variable not in item:
            people = names(raw[name])
            if people:
                item[variable] = people
    _titles(item, raw, kind)
    for name, variable in _PLAIN.items():
        text = to_text(raw.get(name, ""))
        if text and variable not in item:
            item[variable] = text
    _numbers(item, raw, kind)
    _publisher(item, raw, kind, entry.type_lower, sources.dialect)
    issued = issued_date(raw)
    if issued is not None:
        item["issued"] = issued
    for name, variable in _DATES.items():
        if raw.get(name, "").strip():
            item[variable] = parse_date(to_text(raw[name]))
    original = issued_date(raw, "orig")
    if original is not None:
        item["original-date"] = original
    state = to_text(raw.get("pubstate", ""))
    if state:
        item["status"] = PUBSTATES.get(state.lower(), state)
    _links(item, raw)
    if raw.get("eventtitle"):
        item["event-title"] = to_text(raw["eventtitle"])
    addendum = to_text(raw.get("addendum", ""))
    if addendum:
        item["note"] = f"{item['note']}. {addendum}" if item.get("note") else addendum
    language = raw.get("langid") or raw.get("language")
    if language:
        plain = to_text(language)
        item["language"] = LANGUAGES.get(plain.lower(), plain)
    return item


def _joined(raw: Mapping[str, str], *names: str) -> str:
    """Title parts as one title: `Title: Subtitle. Addon`."""
    main, sub, addon = (to_text(raw.get(n, "")) for n in names)
    text = f"{main}: {sub}" if main and sub else main or sub
    return f"{text}. {addon}" if text and addon else text or addon


def _titles(item: CSL, raw: Mapping[str, str], kind: str) -> None:
    title = _joined(raw, "title", "subtitle", "titleaddon")
    if title:
        item["title"] = title
    journal = _joined(raw, "journaltitle", "journalsubtitle", "journaltitleaddon")
    book = _joined(raw, "booktitle", "booksubtitle", "booktitleaddon")
    main = _joined(raw, "maintitle", "mainsubtitle", "maintitleaddon")
    if journal:
        item["container-title"] = journal
    elif kind in _IN_BOOK and (book or main):
        item["container-title"] = book or main
        if book and main:
            item["collection-title"] = main
    elif main:
        item["container-title"] = main
    if raw.get("issuetitle"):
        item["volume-title"] = to_text(raw["issuetitle"])


def _numbers(item: CSL, raw: Mapping[str, str], kind: str) -> None:
    pages = to_text(raw.get("pages", ""))
    if pages:
        item["page"] = pages
    number = to_text(raw.get("number", ""))
    issue = to_text(raw.get("issue", ""))
    volume, part = to_text(raw.get("volume", "")), to_text(raw.get("part", ""))
    if volume and part:  # biblatex prints a part of a volume as `volume.part`
        item["volume"] = f"{volume}.{part}"
    if kind in ("article", "periodical", "suppperiodical"):
        # biblatex's number is the issue's number, its issue a name ("Spring")
        if number or issue:
            item["issue"] = ", ".join(t for t in (number, issue) if t)
    elif issue:
        item["issue"] = issue
    if number and kind not in ("article", "periodical", "suppperiodical"):
        in_series = bool(item.get("collection-title")) and kind in _SERIAL
        item["collection-number" if in_series else "number"] = number
    edition = to_text(raw.get("edition", ""))
    if edition:
        item["edition"] = int(edition) if edition.isdigit() else edition
    genre = to_text(raw.get("type", ""))
    if genre:
        item["genre"] = GENRES.get(genre.lower(), genre)


# Types whose `number` is the number in their series.
_SERIAL = frozenset(
    {
        "book",
        "mvbook",
        "inbook",
        "bookinbook",
        "collection",
        "mvcollection",
        "incollection",
        "proceedings",
        "mvproceedings",
        "inproceedings",
        "reference",
        "inreference",
        "manual",
    }
)


def _publisher(
    item: CSL, raw: Mapping[str, str], kind: str, written_type: str, dialect: str
) -> None:
    def listed(name: str) -> str:
        # biblatex's publisher, location, institution and organization are lists.
        if dialect != "biblatex":
            return to_text(raw.get(name, ""))
        return "; ".join(to_text(part) for part in split_multiple_persons_names(raw.get(name, "")))

    publisher = listed("publisher")
    if not publisher and kind in ("thesis", "report"):
        publisher = listed("institution") or listed("school")
    if not publisher:
        publisher = listed("organization")
    if publisher:
        item["publisher"] = publisher
    place = listed("location")
    if place:
        item["publisher-place"] = place
    if kind in ("thesis", "report") and "genre" not in item:
        genre = _ALIAS_GENRES.get(written_type)
        if genre:
            item["genre"] = genre


_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_URL_IN_TEXT = re.compile(r"\\url\{([^}]*)\}")


def _links(item: CSL, raw: Mapping[str, str]) -> None:
    doi = raw.get("doi", "").strip()
    if doi:
        item["DOI"] = _DOI_PREFIX.sub("", doi).strip()
    url = raw.get("url", "").strip()
    if not url:
        found = _URL_IN_TEXT.search(raw.get("howpublished", ""))
        url = found.group(1) if found else ""
    if not url and raw.get("eprinttype", "").strip().lower() == "arxiv" and raw.get("eprint"):
        url = "https://arxiv.org/abs/" + raw["eprint"].strip()
    if url:
        item["URL"] = url  # verbatim: no LaTeX decoding
        if item.get("medium", "").startswith("http"):
            del item["medium"]


def document_sources(
    index: BibIndex, dialect: str, outside: Callable[[str], str | None] | None = None
) -> Sources:
    """Sources reading the document an index covers: its `@string`s (the first
    definition of each) and its entries; ``outside``: other files' macros."""

    def macro(name: str) -> Value | None:
        for block in index.strings.get(name, {}).values():
            defined = view(block)
            for f in defined.fields if defined is not None else ():
                if f.name_lower == name and f.value is not None:
                    return f.value
        return None

    def entry(key: str) -> Entry | None:
        for block in index.keys.get(key, {}).values():
            return view(block)
        return None

    return Sources(macro, entry, dialect, outside or (lambda name: None))


# Entries that are data for others, not works to cite.
_NOT_CITABLE = frozenset({"xdata", "set"})


def document_items(
    doc: Document, dialect: str = "auto", outside: Callable[[str], str | None] | None = None
) -> list[CSL]:
    """Every citable entry of the document as CSL-JSON, in file order (the first
    of entries sharing a key). ``dialect``: `bibtex`, `biblatex` or `auto`.
    One pass over the blocks: no index of the whole document is built."""
    entries: dict[str, Entry] = {}
    strings: dict[str, Value] = {}
    evidence = [0, 0, 0]  # entries with strong and with weak biblatex signs
    commented_out = after_comment = False  # an entry after a `%` on its line
    for _, block in doc.blocks():
        entry = view(block)
        if entry is None:
            flagged = bool(block.problems) and comments_out_next(block)
            after_comment = flagged or (after_comment and LINE_BREAK_RE.search(block.text) is None)
            commented_out |= flagged
            continue
        if entry.kind is K.STRING:
            for f in entry.fields:
                if f.name and f.value is not None:
                    strings.setdefault(f.name_lower, f.value)
        elif entry.kind is K.ENTRY and entry.key:
            entries.setdefault(entry.key.lower(), entry)
            if not after_comment:  # biber reads no entry there: no evidence
                evidence[biblatex_evidence(block)] += 1
        after_comment = after_comment and LINE_BREAK_RE.search(block.text) is None
    if dialect == "auto":
        strong, weak = evidence[2], evidence[1]
        dialect = "biblatex" if looks_biblatex(strong, weak, sum(evidence)) else "bibtex"
    if commented_out and dialect == "biblatex" and not doc.biber_comments:
        # Read as biber reads it: the entries after `%` on their lines are none.
        return document_items(Document(doc.text, biber_comments=True), dialect, outside)
    sources = Sources(strings.get, entries.get, dialect, outside or (lambda name: None))
    return [to_csl(e, sources) for e in entries.values() if e.type_lower not in _NOT_CITABLE]
