"""tools/biber_compare.py: the figures it gives on a small file whose biber warnings
are known."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "biber_compare.py"

pytestmark = pytest.mark.skipif(
    not (shutil.which("biber") and shutil.which("pdflatex")),
    reason="biber and pdflatex (TeX Live) are not installed",
)


def load(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("biber_compare", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look it up there
    spec.loader.exec_module(module)
    return module


def test_scores_count_agreement_and_set_asides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a, title = {T}, journaltitle = {J}, date = {2000}, colour = {red},"
        " timestamp = {2020-01-01}}\n"  # author missing; colour unknown; timestamp: metadata
        "@gadget{g, title = {T}, hue = {blue}}\n"  # an unknown type: its fields set aside
        "@book{b, author = {A}, title = {T}, date = {2001}, journaltitle = {J}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    assert load(monkeypatch).main([str(bib), "--json", str(out)]) == 0
    scores = json.loads(out.read_text(encoding="utf-8"))["scores"]
    figures = {code: (s["tp"], s["fp"], s["fn"]) for code, s in scores.items()}
    assert figures == {
        "missing-required-field": (1, 0, 0),
        "unknown-entry-type": (1, 0, 0),
        "unknown-field": (1, 0, 0),
        "field-not-in-type": (0, 0, 1),  # journaltitle is no field of @book
    }
    assert scores["unknown-field"]["set_aside"] == {
        "metadata field (biber only)": 1,  # timestamp
        "entry of unknown type (biber only)": 1,  # hue
    }
