"""The entry types and fields each dialect knows, beyond the data models: what styles,
databases and reference managers write, and names switched off on purpose. Facts for
`unknown-entry-type` and `unknown-field`, and for the names they suggest.
"""

from __future__ import annotations

from functools import lru_cache

from bib_lsp.model.bst import PLAIN, BibtexStyle
from bib_lsp.model.requirements import (
    BIBLATEX_FIELD_ALIASES,
    BIBLATEX_FIELDS,
    BIBLATEX_ONLY_FIELDS,
    BIBLATEX_TYPE_ALIASES,
    BIBLATEX_TYPES,
    BIBTEX_FIELDS,
    BIBTEX_TYPES,
    COMMON_BIBTEX_EXTRA_FIELDS,
    COMMON_BIBTEX_EXTRA_TYPES,
)

_BIBTEX_TYPES = BIBTEX_TYPES | COMMON_BIBTEX_EXTRA_TYPES
_BIBLATEX_TYPES = BIBLATEX_TYPES | frozenset(BIBLATEX_TYPE_ALIASES)
KNOWN_TYPES = {"bibtex": _BIBTEX_TYPES, "biblatex": _BIBLATEX_TYPES}

# The entry types of bib2gls (glossaries-extra), whose .bib files are glossaries, not
# bibliographies: neither their types nor their fields are BibTeX's business.
BIB2GLS_TYPES = frozenset(
    {
        "abbreviation",
        "acronym",
        "bibtexentry",
        "contributor",
        "dualabbreviation",
        "dualabbreviationentry",
        "dualacronym",
        "dualentry",
        "dualentryabbreviation",
        "dualindexabbreviation",
        "dualindexentry",
        "dualindexnumber",
        "dualindexsymbol",
        "dualnumber",
        "dualsymbol",
        "entry",
        "index",
        "indexplural",
        "number",
        "progenitor",
        "spawnabbreviation",
        "spawnacronym",
        "spawndualindexentry",
        "spawnentry",
        "spawnindex",
        "spawnindexplural",
        "spawnnumber",
        "spawnsymbol",
        "symbol",
        "tertiaryindexabbreviationentry",
    }
)

# Fields that reference managers, databases and widely used styles write or read, in
# either dialect. Styles that do not read them ignore them harmlessly, so they are not
# reported as unknown.
METADATA_FIELDS = frozenset(
    {
        # BibTeX styles beyond plain.bst (natbib, IEEEtran, urlbst, ACM, babelbib...)
        "annote",
        "archiveprefix",
        "collaboration",
        "eissn",
        "language",
        "lastaccessed",
        "lastchecked",
        "numpages",
        "articleno",
        "primaryclass",
        "reportnumber",
        # databases: DBLP, ACM, arXiv/INSPIRE, ADS, MathSciNet, zbMATH, PubMed
        "acmid",
        "adsnote",
        "adsurl",
        "bibsource",
        "biburl",
        "issue_date",
        "mrclass",
        "mrnumber",
        "mrreviewer",
        "pmcid",
        "pmid",
        "slaccitation",
        "zbl",
        "zbmath",
        "zmnumber",
        # Nelson Beebe's bibliography archive (tug.org, ftp.math.utah.edu), including the
        # fields of its records converted from INSPEC, ERIC and library catalogues
        "acknowledgement",
        "affiliationaddress",
        "ajournal",
        "author-dates",
        "availability",
        "bibdate",
        "bibliography",
        "bookpages",
        "bookreview",
        "checked",
        "classcodes",
        "classification",
        "coden",
        "confdate",
        "conference",
        "conferenceyear",
        "conflocation",
        "confnote",
        "confsponsor",
        "conftitle",
        "corpsource",
        "descriptor",
        "descriptors",
        "editor-dates",
        "editoraddress",
        "editoraffiliation",
        "email",
        "ericno",
        "fjournal",
        "glossary",
        "govtdocnumber",
        "history",
        "identifiers",
        "idnumber",
        "index",
        "inprint",
        "isbn-13",
        "issn-l",
        "journal-url",
        "journalabr",
        "lccn",
        "libnote",
        "listoffigures",
        "listoftables",
        "majordesc",
        "meetingabr",
        "meetingaddress",
        "meetingdate",
        "meetingdate2",
        "meetingname",
        "minordesc",
        "oldlabel",
        "onlinedate",
        "pagecount",
        "partnumber",
        "price",
        "printermarks",
        "procdate",
        "procloc",
        "pubcountry",
        "publisherinfo",
        "remark",
        "review",
        "searchkey",
        "shorttableofcontents",
        "sponsor",
        "subject",
        "subject-dates",
        "tableofcontents",
        "thesaurus",
        "treatment",
        # reference managers: JabRef, BibDesk, Mendeley, Zotero
        "comment",
        "comments",
        "copyright",
        "date-added",
        "date-modified",
        "groups",
        "local-url",
        "mendeley-groups",
        "mendeley-tags",
        "owner",
        "priority",
        "qualityassured",
        "ranking",
        "rating",
        "read",
        "readstatus",
        "relevance",
        "printed",
        "timestamp",
        # Web of Science and Scopus exports
        "abbrev_source_title",
        "affiliation",
        "affiliations",
        "art_number",
        "article-number",
        "author-email",
        "author_keywords",
        "cited-references",
        "correspondence_address",
        "correspondence_address1",
        "da",
        "doc-delivery-number",
        "document_type",
        "earlyaccessdate",
        "funding-acknowledgement",
        "funding-text",
        "funding_details",
        "funding_text",
        "journal-iso",
        "keywords-plus",
        "number-of-cited-references",
        "oa",
        "orcid-numbers",
        "publication_stage",
        "pubmed_id",
        "references",
        "research-areas",
        "researcherid-numbers",
        "source",
        "times-cited",
        "unique-id",
        "usage-count-last-180-days",
        "usage-count-since-2013",
        "web-of-science-categories",
        "web-of-science-index",
    }
)
# BibDesk numbers its link fields: bdsk-url-1, bdsk-file-2...
NUMBERED_PREFIXES = ("bdsk-url-", "bdsk-file-")
# Prefixes that switch a field off on purpose (Emacs bibtex-mode and JabRef templates:
# OPTnote, ALTeditor; Beebe's archive: xxnote): a known field so prefixed is not reported.
DISABLED_PREFIXES = ("opt", "alt", "xx")

_BIBTEX_FIELDS = BIBTEX_FIELDS | COMMON_BIBTEX_EXTRA_FIELDS | METADATA_FIELDS
_BIBLATEX_FIELDS = BIBLATEX_FIELDS | frozenset(BIBLATEX_FIELD_ALIASES) | METADATA_FIELDS
KNOWN_FIELDS = {"bibtex": _BIBTEX_FIELDS, "biblatex": _BIBLATEX_FIELDS}
# What a close misspelling is compared with: the dialect's own fields (not the metadata).
SUGGESTED_FIELDS = {
    "bibtex": sorted(BIBTEX_FIELDS | COMMON_BIBTEX_EXTRA_FIELDS),
    "biblatex": sorted(BIBLATEX_FIELDS | frozenset(BIBLATEX_FIELD_ALIASES)),
}
SUGGESTED_TYPES = {d: sorted(types) for d, types in KNOWN_TYPES.items()}


@lru_cache(maxsize=32)
def known_types(dialect: str, style: BibtexStyle = PLAIN) -> frozenset[str]:
    """The entry types the dialect knows; in the bibtex dialect, the style's."""
    return style.types if dialect == "bibtex" else KNOWN_TYPES[dialect]


@lru_cache(maxsize=32)
def known_fields(dialect: str, style: BibtexStyle = PLAIN) -> frozenset[str]:
    """The fields the dialect knows; in the bibtex dialect, the style's, and the
    metadata that no style reads."""
    return style.fields | METADATA_FIELDS if dialect == "bibtex" else KNOWN_FIELDS[dialect]


@lru_cache(maxsize=32)
def suggested_names(dialect: str, types: bool, style: BibtexStyle = PLAIN) -> tuple[str, ...]:
    """What a misspelt type or field is compared with: the dialect's (the style's)
    own names, not the metadata."""
    if dialect == "bibtex":
        return tuple(sorted(style.types if types else style.fields))
    return tuple((SUGGESTED_TYPES if types else SUGGESTED_FIELDS)[dialect])


# A biblatex field in a BibTeX file: the BibTeX field that holds the same, where there
# is one (biblatex maps most of these names onto the biblatex ones). Beside its
# counterpart, such a field is a harmless extra (Beebe's tugboat.bib gives every entry
# both `number` and `issue`); without it, what it holds is lost.
BIBTEX_COUNTERPART = {
    target: source
    for source, target in BIBLATEX_FIELD_ALIASES.items()
    if source in BIBTEX_FIELDS or source in METADATA_FIELDS
    if target in BIBLATEX_ONLY_FIELDS
} | {"issue": "number"}
# ... and the BibTeX fields that `date` (2020-05-01) stands for.
DATE_COUNTERPART = "year"
