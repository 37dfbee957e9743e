"""Tests marked ``slow`` (minutes) run only when asked for: ``-m slow``."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with `python -m pytest -m slow tests/reliability`")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)
