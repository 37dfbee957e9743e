"""Settings that name codes: every code counts, and a code that does not exist is
reported (it would silently do nothing)."""

from __future__ import annotations

from bib_lsp.lsp.config import parse_settings
from bib_lsp.rules import known_codes
from bib_lsp.syntax.tree import Severity


def test_every_code_can_be_ignored_or_given_a_severity() -> None:
    codes = sorted(known_codes())
    assert len(codes) > 40
    settings, problems = parse_settings(
        {"diagnostics": {"ignore": codes, "severity": dict.fromkeys(codes, "hint")}}
    )
    assert problems == []
    assert settings.rule_options.ignore == frozenset(codes)
    assert set(settings.rule_options.severity.values()) == {Severity.HINT}


def test_an_unknown_code_is_reported_by_name() -> None:
    _, problems = parse_settings(
        {"diagnostics": {"ignore": ["missing-coma"], "severity": {"nope": "error"}}}
    )
    assert problems == [
        "bibLsp.diagnostics.ignore: no such code `missing-coma` (see docs/rules/); "
        "it has no effect",
        "bibLsp.diagnostics.severity: no such code `nope` (see docs/rules/); it has no effect",
    ]


def test_bibtex_settings_are_read_and_bad_values_told() -> None:
    settings, problems = parse_settings(
        {"bibtex": {"style": " IEEEtran ", "extraTypes": ["DataSet", " "], "extraFields": []}}
    )
    assert problems == []
    assert settings.bibtex.style == "IEEEtran"
    assert settings.bibtex.extra_types == ("dataset",)
    settings, problems = parse_settings(
        {"bibtex": {"style": 3, "extraTypes": "dataset", "extraFields": [1]}}
    )
    assert settings.bibtex.style == "" and settings.bibtex.extra_types == ()
    assert problems == [
        "bibLsp.bibtex.style must be a style name or a .bst path, not 3; using plain.bst",
        'bibLsp.bibtex.extraTypes must be a list of names, not "dataset"; adding none',
        "bibLsp.bibtex.extraFields must be a list of names, not [1]; adding none",
    ]
    _, problems = parse_settings({"bibtex": []})
    assert problems == ["bibLsp.bibtex must be an object, not []"]
