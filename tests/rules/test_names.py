"""bad-name-list (bib_lsp.rules.names) on inline entries, with its ranges."""

from __future__ import annotations

from tests.rules.helpers import expect


def test_bad_name_list() -> None:
    marked = "@article{k, author = {«Doe, J., Roe, R.»}, editor = {A and «and» B}, title = {T}}"
    expect(marked, "bad-name-list")  # the second `and` of `and and`
    expect("@article{k, author = {Doe, Jane and Roe, R.}}", "bad-name-list")
    expect("@article{k, translator = {Doe «and»}}", "bad-name-list")
