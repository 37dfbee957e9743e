"""The suite's CI check (benchmarks/report.py) on the committed baseline's figures:
it passes as measured, and fails on a gross regression or a failed measurement.
Nothing here is timed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.report import check, table

BASELINES = sorted((Path(__file__).parents[2] / "benchmarks" / "results").glob("baseline-*.json"))

pytestmark = pytest.mark.skipif(not BASELINES, reason="no committed baseline")


@pytest.fixture
def results() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(BASELINES[-1].read_text(encoding="utf-8"))
    return found


def failed(results: dict[str, Any]) -> list[str]:
    return [v["check"] for v in check(results) if "error" in v or not v["ok"]]


def test_the_baseline_passes(results: dict[str, Any]) -> None:
    assert failed(results) == []
    shown = table(results)
    assert "100k/10k" in shown
    assert "didOpen -> complete diags" in shown


def test_an_edit_that_redoes_the_file_fails(results: dict[str, Any]) -> None:
    slow = copy.deepcopy(results)
    slow["inputs"]["10,000 entries"]["measured"]["library"]["edit_ms"]["median"] *= 100
    assert failed(slow) == [
        "library edit round trip / parse of one entry, 10k",
        "library edit round trip, 10k / 1k",
    ]


def test_quadratic_analysis_fails(results: dict[str, Any]) -> None:
    slow = copy.deepcopy(results)
    slow["inputs"]["10,000 entries"]["measured"]["library"]["analysis_ms"] *= 10
    assert failed(slow) == ["full analysis per entry, 10k / 1k"]


def test_a_failed_measurement_fails(results: dict[str, Any]) -> None:
    broken = copy.deepcopy(results)
    broken["inputs"]["1,000 entries"]["measured"]["server"] = {"error": "exit 1: EOFError"}
    assert "server at 1,000 entries" in failed(broken)
    assert "FAIL" in table(broken)
