"""The macros BibTeX styles and biber define themselves, with their text (facts
from plain.bst's MACRO commands and biber's month handling)."""

from __future__ import annotations

MONTH_NAMES = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
"""The month macros and their text: the one list of month names."""
MONTHS = frozenset(MONTH_NAMES)
"""The month macros ``jan``...``dec``."""
MONTH_NUMBERS = {name: number for number, name in enumerate(MONTH_NAMES, 1)}
"""Each month macro and the month it stands for."""
ENGLISH_MONTHS = {
    **MONTH_NUMBERS,
    **{full.lower(): number for number, full in enumerate(MONTH_NAMES.values(), 1)},
    "sept": 9,
}
"""English month names and abbreviations (lower-case, without a dot) and their months."""

# plain.bst (and the standard styles derived from it) define these journal names.
PLAIN_BST_JOURNALS = {
    "acmcs": "ACM Computing Surveys",
    "acta": "Acta Informatica",
    "cacm": "Communications of the ACM",
    "ibmjrd": "IBM Journal of Research and Development",
    "ibmsj": "IBM Systems Journal",
    "ieeese": "IEEE Transactions on Software Engineering",
    "ieeetc": "IEEE Transactions on Computers",
    "ieeetcad": "IEEE Transactions on Computer-Aided Design of Integrated Circuits",
    "ipl": "Information Processing Letters",
    "jacm": "Journal of the ACM",
    "jcss": "Journal of Computer and System Sciences",
    "scp": "Science of Computer Programming",
    "sicomp": "SIAM Journal on Computing",
    "tocs": "ACM Transactions on Computer Systems",
    "tods": "ACM Transactions on Database Systems",
    "tog": "ACM Transactions on Graphics",
    "toms": "ACM Transactions on Mathematical Software",
    "toois": "ACM Transactions on Office Information Systems",
    "toplas": "ACM Transactions on Programming Languages and Systems",
    "tcs": "Theoretical Computer Science",
}
PLAIN_BST_MACROS = frozenset(PLAIN_BST_JOURNALS)


def predefined(dialect: str) -> frozenset[str]:
    """Macros the tools define themselves: the months everywhere (BibTeX's styles
    and biber), plain.bst's journal names for BibTeX."""
    return MONTHS | PLAIN_BST_MACROS if dialect == "bibtex" else MONTHS


def predefined_text(name: str, dialect: str) -> str | None:
    """The text of a predefined macro (lower-case name) in the dialect, if any."""
    if name in MONTH_NAMES:
        return MONTH_NAMES[name]
    if dialect == "bibtex":
        return PLAIN_BST_JOURNALS.get(name)
    return None
