"""Formatting options: their defaults, and reading them from JSON settings (the
server's `format` section) or TOML (`[tool.bib-lsp.format]` in a `pyproject.toml`,
or `[format]` in a `bib-lsp.toml`, found upward from the file, for the CLI).

Defaults are conservative: the indent and the alignment of `=` follow what the
file mostly does, and nothing is renamed, re-quoted, sorted or rewrapped unless
asked. A file written consistently is left as it is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

AUTO = "auto"
KEEP = "keep"
CASES = ("lower", "upper", KEEP)
DELIMITERS = (KEEP, "braces", "quotes")
ENTRY_SORTS = ("off", "key", "year", "type")
MAX_INDENT = 16


@dataclass(frozen=True)
class FormatOptions:
    indent: str = AUTO  # "auto" (the file's), or the text of one level: "  ", "\t"
    # "auto", 0 (off), -1 (after each entry's longest name), or n: `=` n characters
    # after where names start (the same in every entry)
    align: int | str = AUTO
    one_field_per_line: bool = True
    trailing_comma: bool | str = KEEP  # True, False or "keep" (per entry, as written)
    delimiter: str = KEEP  # "keep", "braces", "quotes"
    type_case: str = KEEP  # "lower", "upper", "keep"
    field_case: str = KEEP
    blank_lines: int | str = KEEP  # between entries: a number, or "keep"
    sort_entries: str = "off"  # "off", "key", "year", "type"
    sort_fields: tuple[str, ...] | str = "off"  # "off", "standard", or a list of names
    wrap: int = 0  # wrap long values at this column (0: never)
    page_dashes: bool = False  # `pages = {1-5}` becomes `{1--5}`
    strip_double_braces: bool = False  # `{{Title}}` becomes `{Title}`
    indent_fallback: str = "  "  # the "auto" indent when the file shows no habit


# Settings names (camelCase on the wire, snake_case in TOML) to fields.
_NAMES = {
    "indent": "indent",
    "align": "align",
    "alignEquals": "align",
    "align_equals": "align",
    "oneFieldPerLine": "one_field_per_line",
    "one_field_per_line": "one_field_per_line",
    "trailingComma": "trailing_comma",
    "trailing_comma": "trailing_comma",
    "delimiter": "delimiter",
    "valueDelimiter": "delimiter",
    "value_delimiter": "delimiter",
    "typeCase": "type_case",
    "type_case": "type_case",
    "fieldCase": "field_case",
    "field_case": "field_case",
    "blankLines": "blank_lines",
    "blank_lines": "blank_lines",
    "sortEntries": "sort_entries",
    "sort_entries": "sort_entries",
    "sortFields": "sort_fields",
    "sort_fields": "sort_fields",
    "wrap": "wrap",
    "pageDashes": "page_dashes",
    "page_dashes": "page_dashes",
    "stripDoubleBraces": "strip_double_braces",
    "strip_double_braces": "strip_double_braces",
}


def parse_options(
    raw: object, where: str = "format", base: FormatOptions | None = None
) -> tuple[FormatOptions, list[str]]:
    """Options from a JSON/TOML table over ``base``; a bad value keeps the base's
    and is reported (a sentence naming ``where``.name, the value, what is used)."""
    base = base or FormatOptions()
    problems: list[str] = []
    if raw is None:
        return base, problems
    if not isinstance(raw, Mapping):
        return base, [f"{where} must be a table of options, not {raw!r}"]
    changes: dict[str, Any] = {}
    for name, value in raw.items():
        target = _NAMES.get(str(name))
        if target is None:
            known = ", ".join(sorted({n for n in _NAMES if "_" not in n}))
            problems.append(f"{where}.{name}: no such option (known: {known})")
            continue
        checked = _check(target, value)
        if isinstance(checked, _Bad):
            default = getattr(base, target)
            problems.append(f"{where}.{name}: {checked.reason}, not {value!r}; using {default!r}")
        else:
            changes[target] = checked
    return replace(base, **changes), problems


@dataclass(frozen=True)
class _Bad:
    reason: str


def _check(target: str, value: object) -> object:
    if target == "indent":
        if value == AUTO or value == "tab":
            return "\t" if value == "tab" else AUTO
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INDENT:
            return " " * value
        return _Bad(f'must be "auto", "tab" or a number of spaces (0-{MAX_INDENT})')
    if target == "align":
        if value in (AUTO, True, False):
            return {AUTO: AUTO, True: -1, False: 0}[value]
        if isinstance(value, int) and 0 <= value <= 80:
            return value
        return _Bad('must be "auto", true, false or a column (0-80)')
    if target in ("one_field_per_line", "page_dashes", "strip_double_braces"):
        return value if isinstance(value, bool) else _Bad("must be true or false")
    if target == "trailing_comma":
        return value if isinstance(value, bool) or value == KEEP else _Bad('true, false or "keep"')
    if target == "delimiter":
        return value if value in DELIMITERS else _Bad(f"must be one of {', '.join(DELIMITERS)}")
    if target in ("type_case", "field_case"):
        return value if value in CASES else _Bad(f"must be one of {', '.join(CASES)}")
    if target == "blank_lines":
        if value == KEEP:
            return value
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 5:
            return value
        return _Bad('must be "keep" or a number of blank lines (0-5)')
    if target == "sort_entries":
        return value if value in ENTRY_SORTS else _Bad(f"must be one of {', '.join(ENTRY_SORTS)}")
    if target == "sort_fields":
        if value in ("off", "standard"):
            return value
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return tuple(v.lower() for v in value)
        return _Bad('must be "off", "standard" or a list of field names')
    if target == "wrap":
        if isinstance(value, int) and not isinstance(value, bool) and (value == 0 or value >= 40):
            return value
        return _Bad("must be 0 (off) or a column of at least 40")
    raise AssertionError(target)  # pragma: no cover


def option_names() -> list[str]:
    return [f.name for f in fields(FormatOptions) if f.name != "indent_fallback"]


CONFIG_FILES = ("bib-lsp.toml", "pyproject.toml")


class ConfigError(ValueError):
    """A configuration file that cannot be used, with a message naming it."""


def _table(path: Path) -> Mapping[str, Any] | None:
    """The format table of a config file (None: a pyproject.toml without one)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read '{path}': {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"'{path}' is not valid TOML: {error}") from error
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("bib-lsp", {}).get("format")
    else:
        table = data.get("format", {})
    if table is not None and not isinstance(table, Mapping):
        raise ConfigError(f"'{path}': the format options must be a table")
    return table


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest `bib-lsp.toml` (its `[format]` table) or `pyproject.toml` with a
    `[tool.bib-lsp.format]` table, from ``start``'s folder upward (to the
    repository's root or the home folder). Raises ``ConfigError``."""
    folder = start if start.is_dir() else start.parent
    home = Path(os.path.expanduser("~")).resolve()
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file():
                table = _table(path)
                if table is not None:
                    return path, table
        if (candidate / ".git").exists() or candidate == home:
            break
    return None


def options_for(path: Path, config: Path | None = None) -> tuple[FormatOptions, Path | None]:
    """The options for a file: from ``config`` if given, else the nearest config
    file above it; defaults when there is none. Raises ``ConfigError`` for a bad
    file or bad options (every problem named)."""
    if config is not None:
        found: tuple[Path, Mapping[str, Any]] | None = (config, _table(config) or {})
    else:
        found = find_config(path)
    if found is None:
        return FormatOptions(), None
    source, table = found
    options, problems = parse_options(table, f"{source}: format")
    if problems:
        raise ConfigError("; ".join(problems))
    return options, source
