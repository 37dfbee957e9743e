"""Random formatting options, for the property tests of formatting."""

from __future__ import annotations

from hypothesis import strategies as st

from bib_lsp.formatting import FormatOptions

options = st.builds(
    FormatOptions,
    indent=st.sampled_from(["auto", "  ", "\t", "    "]),
    align=st.sampled_from(["auto", 0, -1, 20]),
    one_field_per_line=st.booleans(),
    trailing_comma=st.sampled_from(["keep", True, False]),
    delimiter=st.sampled_from(["keep", "braces", "quotes"]),
    type_case=st.sampled_from(["keep", "lower", "upper"]),
    field_case=st.sampled_from(["keep", "lower", "upper"]),
    blank_lines=st.sampled_from(["keep", 0, 1, 2]),
    sort_entries=st.sampled_from(["off", "off", "key", "year", "type"]),
    sort_fields=st.sampled_from(["off", "standard", ("year", "title")]),
    wrap=st.sampled_from([0, 0, 40]),
    page_dashes=st.booleans(),
    strip_double_braces=st.booleans(),
)
