"""Quick fixes: the edits that repair a finding, computed from the document as it
is now and the finding's code, place and ``data``.

Each fix is a short list of minimal edits (code-point offsets) that never delete
text the user wrote beyond what the fix names (a duplicate field it removes).
``safe`` fixes cannot change what the user meant (a missing comma, `--` for `-`
in a page range, a bare DOI for a DOI link); ``fix_all`` applies those. A rule's
fix is a function registered with ``@fix(code)`` in a topic module here.
"""

from bib_lsp.features.fixes.base import Finding, Fix, fix
from bib_lsp.features.fixes.case import lower_case
from bib_lsp.features.fixes.offer import SAFE_REPLACEMENTS, fix_all, fixes_for, safe_fixes

__all__ = [
    "SAFE_REPLACEMENTS",
    "Finding",
    "Fix",
    "fix",
    "fix_all",
    "fixes_for",
    "lower_case",
    "safe_fixes",
]
