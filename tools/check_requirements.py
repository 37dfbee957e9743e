#!/usr/bin/env python3
"""Re-derive ``bib_lsp.model.requirements`` from an installed TeX Live and compare.

Two kinds of check:

1. *Derivation.*  ``plain.bst``, ``blx-dm.def`` and ``biblatex.def`` are found with
   ``kpsewhich`` and parsed:

   * plain.bst: read by ``bib_lsp.model.bst.read_bst``, the reader the server uses for
     a chosen style (the ``ENTRY`` fields; the entry-type functions; for each, the
     labels of the warning functions it calls, such as ``"title" output.check``, and
     literal ``"empty X in "`` warnings, without the ``crossref`` branch of
     ``crossref missing$ {...} {...} if$``; ``"X and Y"`` labels are alternatives).
   * blx-dm.def: ``\\DeclareDatamodelEntrytypes``, ``\\DeclareDatamodelFields`` (with the
     date parts that date fields imply) and the ``type=mandatory`` constraints of
     ``\\DeclareDatamodelConstraints``.
   * biblatex.def: the aliases in ``\\DeclareDriverSourcemap[datatype=bibtex]``; biber's
     ``Biber/biber-tool.conf`` too, when it can be found.

2. *Behaviour.*  The real programs are run on entries that have no fields at all:

   * ``bibtex`` with ``\\bibstyle{plain}``: its ``Warning--empty X in KEY`` lines must give
     exactly ``BIBTEX_REQUIRED[type]``, in order.  Expected extra warnings, not
     requirements: ``to sort, need ... in KEY`` (plain.bst's ``*.sort`` functions).  A
     ``misc`` entry with only ``key`` set is also checked to draw plain.bst's
     ``all relevant fields are empty`` warning (that check fires only when ``key`` is set).
   * ``biber --tool --validate-datamodel`` (when biber is installed): its ``Missing
     mandatory field`` messages must give ``BIBLATEX_REQUIRED[type]`` (as a set); for an
     alias type, the target's requirements minus those the alias fills in (``type``).  Note
     that biber's tool mode uses the data model in biber-tool.conf, not blx-dm.def, so this
     also checks that the two agree.  An undeclared entry type is included as a control.

Exit status: 0 when everything agrees, 1 on any difference, 2 when TeX Live is missing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bib_lsp.model import requirements as model
from bib_lsp.model.bst import label_requirement, read_bst

Requirement: TypeAlias = tuple[str, ...]
Requirements: TypeAlias = dict[str, tuple[Requirement, ...]]


def kpsewhich(name: str) -> Path | None:
    """Return the path of a TeX file via ``kpsewhich``, or None."""
    exe = shutil.which("kpsewhich")
    if exe is None:
        return None
    proc = subprocess.run([exe, name], capture_output=True, text=True, check=False)
    found = proc.stdout.strip()
    return Path(found) if proc.returncode == 0 and found else None


# ------------------------------------------------------------------------------------------
# plain.bst
# ------------------------------------------------------------------------------------------


@dataclass
class BstFacts:
    """What the derivation finds in a .bst file."""

    fields: frozenset[str]
    required: Requirements


def derive_bst(path: Path) -> BstFacts:
    """Derive entry types, fields and requirements from a .bst file, with the reader
    the server uses for a chosen style (``bib_lsp.model.bst``)."""
    reading = read_bst(path.read_text(encoding="latin-1"))
    return BstFacts(fields=reading.fields, required=dict(reading.required))


# ------------------------------------------------------------------------------------------
# blx-dm.def and biblatex.def
# ------------------------------------------------------------------------------------------


def tex_strip_comments(text: str) -> str:
    """Drop ``%`` comments (an unescaped ``%`` up to the end of the line)."""
    return re.sub(r"(?<!\\)%[^\n]*", "", text)


def _group(text: str, start: int, open_: str = "{", close: str = "}") -> tuple[str, int]:
    """Return the balanced group starting at ``text[start] == open_`` and the index after."""
    assert text[start] == open_, text[start : start + 20]
    depth = 0
    for j in range(start, len(text)):
        if text[j] == open_:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return text[start + 1 : j], j + 1
    raise ValueError("unbalanced group")


def tex_calls(text: str, macro: str) -> list[tuple[str, str]]:
    """Every ``\\macro[opt]{arg}`` call (optional argument may be absent) as (opt, arg)."""
    calls: list[tuple[str, str]] = []
    for m in re.finditer(re.escape("\\" + macro) + r"(?![A-Za-z@])", text):
        k = m.end()
        while k < len(text) and text[k].isspace():
            k += 1
        opt = ""
        if k < len(text) and text[k] == "[":
            opt, k = _group(text, k, "[", "]")
            while k < len(text) and text[k].isspace():
                k += 1
        if k >= len(text) or text[k] != "{":
            continue
        arg, _ = _group(text, k)
        calls.append((opt, arg))
    return calls


def csv_names(text: str) -> list[str]:
    return [item.strip().lower() for item in text.split(",") if item.strip()]


def keyvals(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in csv_names(text):
        key, _, value = item.partition("=")
        out[key.strip()] = value.strip() or "true"
    return out


@dataclass
class BlxFacts:
    """What the derivation finds in blx-dm.def."""

    types: frozenset[str]
    field_types: dict[str, str]
    list_fields: frozenset[str]
    required: Requirements
    xor_groups: frozenset[Requirement]


def derive_blx_dm(path: Path) -> BlxFacts:
    """Derive types, fields and mandatory constraints from blx-dm.def."""
    text = tex_strip_comments(path.read_text(encoding="utf-8"))
    types: list[str] = []
    for _opt, arg in tex_calls(text, "DeclareDatamodelEntrytypes"):
        types.extend(name for name in csv_names(arg) if name not in types)

    def macro_def(name: str) -> list[str]:
        m = re.search(r"\\def\\" + re.escape(name) + r"\{([^}]*)\}", text)
        return csv_names(m.group(1)) if m else []

    date_parts = macro_def("blx@nullokdateparts") + macro_def("blx@notnulldateparts")
    field_types: dict[str, str] = {}
    list_fields: set[str] = set()
    for opt, arg in tex_calls(text, "DeclareDatamodelFields"):
        options = keyvals(opt)
        datatype = options.get("datatype", "")
        for name in csv_names(arg):
            field_types.setdefault(name, datatype)
            if options.get("type") == "list":
                list_fields.add(name)
            if datatype == "date":
                prefix = name.removesuffix("date")
                for part in date_parts:
                    field_types.setdefault(prefix + part, "datepart")

    required: dict[str, list[Requirement]] = {name: [] for name in types}
    xor_groups: set[Requirement] = set()
    for opt, body in tex_calls(text, "DeclareDatamodelConstraints"):
        targets = csv_names(opt) or list(types)
        for copt, inner in tex_calls(body, "constraint"):
            if keyvals(copt).get("type") != "mandatory":
                continue
            reqs: list[Requirement] = []
            pattern = r"\\constraintfields(x?or)\s*\{|\\constraintfield\s*\{([^}]*)\}"
            pos = 0
            while (m := re.compile(pattern).search(inner, pos)) is not None:
                if m.group(1):
                    group, pos = _group(inner, m.end() - 1)
                    alts = tuple(
                        f.strip().lower()
                        for f in re.findall(r"\\constraintfield\{([^}]*)\}", group)
                    )
                    reqs.append(alts)
                    if m.group(1) == "xor":
                        xor_groups.add(alts)
                else:
                    reqs.append((m.group(2).strip().lower(),))
                    pos = m.end()
            for target in targets:
                required.setdefault(target, []).extend(reqs)
    return BlxFacts(
        types=frozenset(types),
        field_types=field_types,
        list_fields=frozenset(list_fields),
        required={name: tuple(reqs) for name, reqs in required.items()},
        xor_groups=frozenset(xor_groups),
    )


@dataclass
class Aliases:
    """Entry-type and field aliases of a BibTeX driver source map."""

    types: dict[str, str]
    type_fields: dict[str, dict[str, str]]
    fields: dict[str, str]


def derive_sourcemap_tex(path: Path) -> Aliases:
    """Aliases from ``\\DeclareDriverSourcemap[datatype=bibtex]`` in biblatex.def."""
    text = tex_strip_comments(path.read_text(encoding="utf-8"))
    aliases = Aliases({}, {}, {})
    for opt, body in tex_calls(text, "DeclareDriverSourcemap"):
        if keyvals(opt).get("datatype") != "bibtex":
            continue
        for _mopt, mapbody in tex_calls(body, "map"):
            _apply_steps([keyvals(s) for s, _ in _steps(mapbody)], aliases)
    return aliases


def _steps(mapbody: str) -> list[tuple[str, str]]:
    return [(m.group(1), "") for m in re.finditer(r"\\step\s*\[([^\]]*)\]", mapbody)]


def _apply_steps(steps: Sequence[Mapping[str, str]], aliases: Aliases) -> None:
    current_type: str | None = None
    for step in steps:
        if "typesource" in step and "typetarget" in step:
            current_type = step["typesource"]
            aliases.types[current_type] = step["typetarget"]
        elif "fieldsource" in step and "fieldtarget" in step:
            aliases.fields[step["fieldsource"]] = step["fieldtarget"]
        elif "fieldset" in step and "fieldvalue" in step and current_type is not None:
            aliases.type_fields.setdefault(current_type, {})[step["fieldset"]] = step["fieldvalue"]


def find_biber_tool_conf() -> Path | None:
    """Locate ``Biber/biber-tool.conf`` in perl's @INC, if biber is installed."""
    perl = shutil.which("perl")
    if perl is None or shutil.which("biber") is None:
        return None
    proc = subprocess.run(
        [perl, "-e", 'print "$_\\n" for @INC'], capture_output=True, text=True, check=False
    )
    for directory in proc.stdout.splitlines():
        candidate = Path(directory) / "Biber" / "biber-tool.conf"
        if candidate.is_file():
            return candidate
    return None


def derive_sourcemap_biber(path: Path) -> Aliases:
    """Aliases from the ``<maps datatype="bibtex">`` of biber-tool.conf."""
    renames = {
        "map_type_source": "typesource",
        "map_type_target": "typetarget",
        "map_field_source": "fieldsource",
        "map_field_target": "fieldtarget",
        "map_field_set": "fieldset",
        "map_field_value": "fieldvalue",
    }
    aliases = Aliases({}, {}, {})
    root = ET.parse(path).getroot()
    for maps in root.iter("maps"):
        if maps.get("datatype") != "bibtex":
            continue
        for map_ in maps.iter("map"):
            steps = [
                {renames[k]: v.lower() for k, v in step.attrib.items() if k in renames}
                for step in map_.iter("map_step")
            ]
            _apply_steps(steps, aliases)
    return aliases


# ------------------------------------------------------------------------------------------
# Comparison helpers
# ------------------------------------------------------------------------------------------


class Report:
    """Collects differences and prints a summary."""

    def __init__(self) -> None:
        self.failures = 0

    def ok(self, message: str) -> None:
        print(f"ok    {message}")

    def note(self, message: str) -> None:
        print(f"note  {message}")

    def fail(self, message: str) -> None:
        self.failures += 1
        print(f"DIFF  {message}")

    def same_set(self, what: str, derived: Iterable[str], table: Iterable[str]) -> None:
        derived_set, table_set = set(derived), set(table)
        if derived_set == table_set:
            self.ok(f"{what}: {len(table_set)} names agree")
            return
        if missing := sorted(derived_set - table_set):
            self.fail(f"{what}: derived but not in module: {missing}")
        if extra := sorted(table_set - derived_set):
            self.fail(f"{what}: in module but not derived: {extra}")

    def same_mapping(
        self, what: str, derived: Mapping[str, object], table: Mapping[str, object]
    ) -> None:
        bad = [
            f"{key}: derived {derived.get(key)!r}, module {table.get(key)!r}"
            for key in sorted(set(derived) | set(table))
            if derived.get(key) != table.get(key)
        ]
        if bad:
            for line in bad:
                self.fail(f"{what}: {line}")
        else:
            self.ok(f"{what}: {len(table)} entries agree")


def as_set(reqs: Iterable[Requirement]) -> list[Requirement]:
    """Order-insensitive form of a requirement list (alternatives keep their order)."""
    return sorted(set(reqs))


# ------------------------------------------------------------------------------------------
# Running the real programs
# ------------------------------------------------------------------------------------------

BIBTEX_EMPTY = re.compile(r"^Warning--empty (.+) in (\S+)$")
BIBTEX_SORT = re.compile(r"^Warning--to sort, need .+ in (\S+)$")
BIBTEX_ALL_EMPTY = re.compile(r"^Warning--all relevant fields are empty in (\S+)$")
BIBTEX_MONTH = re.compile(r"^Warning--there's a month but no year in (\S+)$")


def run_bibtex(types: Iterable[str], report: Report) -> None:
    """Run bibtex+plain.bst on field-less entries and compare with BIBTEX_REQUIRED."""
    exe = shutil.which("bibtex")
    if exe is None:
        report.note("bibtex not found: behaviour check skipped")
        return
    types = sorted(types)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        entries = [f"@{name}{{{name},\n}}\n" for name in types]
        entries.append("@misc{misc.with.key,\n  key = {K},\n}\n")
        entries.append("@article{article.month.only,\n  month = jan,\n}\n")
        (work / "empty.bib").write_text("".join(entries), encoding="ascii")
        (work / "job.aux").write_text(
            "\\citation{*}\n\\bibstyle{plain}\n\\bibdata{empty}\n", encoding="ascii"
        )
        proc = subprocess.run([exe, "job"], cwd=work, capture_output=True, text=True, check=False)
        blg = (work / "job.blg").read_text(encoding="latin-1")
    if proc.returncode > 1:
        report.fail(f"bibtex exited with {proc.returncode}: {proc.stdout}{proc.stderr}")
        return
    seen: dict[str, list[Requirement]] = {name: [] for name in types}
    sort_warned: set[str] = set()
    all_empty: set[str] = set()
    month_only: set[str] = set()
    for line in blg.splitlines():
        if m := BIBTEX_EMPTY.match(line):
            seen.setdefault(m.group(2), []).append(label_requirement(m.group(1)))
        elif m := BIBTEX_SORT.match(line):
            sort_warned.add(m.group(1))
        elif m := BIBTEX_ALL_EMPTY.match(line):
            all_empty.add(m.group(1))
        elif m := BIBTEX_MONTH.match(line):
            month_only.add(m.group(1))
        elif line.startswith("Warning--") or "error message" in line:
            report.fail(f"bibtex: unexpected message: {line}")
    for name in types:
        got, want = tuple(seen.get(name, [])), model.BIBTEX_REQUIRED.get(name)
        if got == want:
            report.ok(f"bibtex @{name}: warns about {_fmt(got)}")
        else:
            report.fail(f"bibtex @{name}: bibtex warned {_fmt(got)}, module says {_fmt(want)}")
    report.note(f"bibtex also said 'to sort, need ...' for {len(sort_warned)} entries (expected)")
    if all_empty == {"misc.with.key"}:
        report.ok("bibtex @misc: 'all relevant fields are empty' only when key is set")
    else:
        report.fail(f"bibtex: 'all relevant fields are empty' for {sorted(all_empty)}")
    # With a month but no year, plain.bst's format.date warns differently and returns the
    # month, so output.check sees no empty "year".
    got_month = tuple(seen.get("article.month.only", []))
    want_month = tuple(r for r in model.BIBTEX_REQUIRED["article"] if r != ("year",))
    if month_only == {"article.month.only"} and got_month == want_month:
        report.ok("bibtex @article with month only: 'month but no year' instead of 'empty year'")
    else:
        report.fail(f"bibtex month-only article: {sorted(month_only)}, {_fmt(got_month)}")


BIBER_MISSING = re.compile(
    r"Datamodel: Entry '([^']+)' \([^)]*\): Missing mandatory field"
    r"(?: '([^']+)'| - one of '([^']+)' must be defined)"
)
BIBER_DATAMODEL = re.compile(r"Datamodel: Entry '([^']+)'")


def run_biber(report: Report) -> None:
    """Run ``biber --tool --validate-datamodel`` on field-less entries of every type."""
    exe = shutil.which("biber")
    if exe is None:
        report.note("biber not found: behaviour check of BIBLATEX_REQUIRED skipped")
        return
    control = "notadatamodeltype"
    types = sorted(model.BIBLATEX_TYPES | model.BIBLATEX_TYPE_ALIASES.keys() | {control})
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "empty.bib").write_text(
            "".join(f"@{name}{{k{name},\n}}\n" for name in types), encoding="ascii"
        )
        proc = subprocess.run(
            [exe, "--tool", "--validate-datamodel", "--output-file=out.bib", "empty.bib"],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        report.fail(f"biber exited with {proc.returncode}:\n{output}")
        return
    seen: dict[str, list[Requirement]] = {}
    other: dict[str, list[str]] = {}
    for line in output.splitlines():
        if m := BIBER_MISSING.search(line):
            names = m.group(2) or m.group(3)
            seen.setdefault(m.group(1), []).append(tuple(f.strip() for f in names.split(",")))
        elif m := BIBER_DATAMODEL.search(line):
            other.setdefault(m.group(1), []).append(line.strip())
    if any("Invalid entry type" in line for line in other.pop("k" + control, [])):
        report.ok(f"biber @{control} (control): flagged as not in the data model")
    else:
        report.fail(f"biber @{control} (control): biber did not complain")
    for lines in other.values():
        for line in lines:
            report.fail(f"biber: unexpected message: {line}")
    for name in types:
        if name == control:
            continue
        target = model.BIBLATEX_TYPE_ALIASES.get(name, name)
        filled = set(model.BIBLATEX_TYPE_ALIAS_FIELDS.get(name, {}))
        want = as_set(
            r for r in model.BIBLATEX_REQUIRED.get(target, ()) if not filled.intersection(r)
        )
        got = as_set(seen.get("k" + name, []))
        via = f" (alias of {target})" if target != name else ""
        if got == want:
            report.ok(f"biber @{name}{via}: missing {_fmt(got)}")
        else:
            report.fail(f"biber @{name}{via}: biber said {_fmt(got)}, module says {_fmt(want)}")


def _fmt(reqs: Iterable[Requirement] | None) -> str:
    if reqs is None:
        return "<no entry>"
    parts = ["|".join(r) for r in reqs]
    return ", ".join(parts) if parts else "nothing"


# ------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--no-run", action="store_true", help="only parse the files; do not run bibtex/biber"
    )
    args = parser.parse_args(argv)

    found = {name: kpsewhich(name) for name in ("plain.bst", "blx-dm.def", "biblatex.def")}
    paths = {name: path for name, path in found.items() if path is not None}
    if missing := [name for name in found if name not in paths]:
        print(f"kpsewhich cannot find {', '.join(missing)}; is TeX Live installed?")
        return 2
    for name, path in paths.items():
        print(f"using {name}: {path}")
    report = Report()

    bst = derive_bst(paths["plain.bst"])
    report.same_set("BIBTEX_TYPES", bst.required, model.BIBTEX_TYPES)
    report.same_set("BIBTEX_FIELDS", bst.fields, model.BIBTEX_FIELDS)
    report.same_mapping("BIBTEX_REQUIRED", bst.required, model.BIBTEX_REQUIRED)

    blx = derive_blx_dm(paths["blx-dm.def"])
    report.same_set("BIBLATEX_TYPES", blx.types, model.BIBLATEX_TYPES)
    report.same_set("BIBLATEX_FIELDS", blx.field_types, model.BIBLATEX_FIELDS)
    report.same_mapping("BIBLATEX_FIELD_TYPES", blx.field_types, model.BIBLATEX_FIELD_TYPES)
    report.same_set("BIBLATEX_LIST_FIELDS", blx.list_fields, model.BIBLATEX_LIST_FIELDS)
    report.same_mapping(
        "BIBLATEX_REQUIRED",
        {name: as_set(reqs) for name, reqs in blx.required.items()},
        {name: as_set(reqs) for name, reqs in model.BIBLATEX_REQUIRED.items()},
    )
    report.same_set(
        "BIBLATEX_XOR_REQUIREMENTS",
        ["|".join(r) for r in blx.xor_groups],
        ["|".join(r) for r in model.BIBLATEX_XOR_REQUIREMENTS],
    )

    tex_aliases = derive_sourcemap_tex(paths["biblatex.def"])
    report.same_mapping("BIBLATEX_TYPE_ALIASES", tex_aliases.types, model.BIBLATEX_TYPE_ALIASES)
    report.same_mapping(
        "BIBLATEX_TYPE_ALIAS_FIELDS", tex_aliases.type_fields, model.BIBLATEX_TYPE_ALIAS_FIELDS
    )
    report.same_mapping("BIBLATEX_FIELD_ALIASES", tex_aliases.fields, model.BIBLATEX_FIELD_ALIASES)
    for target in model.BIBLATEX_TYPE_ALIASES.values():
        if target not in model.BIBLATEX_TYPES:
            report.fail(f"alias target {target} is not a biblatex type")
    conf = find_biber_tool_conf()
    if conf is None:
        report.note("biber-tool.conf not found: biber's own alias map not compared")
    else:
        print(f"using biber-tool.conf: {conf}")
        biber_aliases = derive_sourcemap_biber(conf)
        report.same_mapping("biber type aliases", biber_aliases.types, model.BIBLATEX_TYPE_ALIASES)
        report.same_mapping(
            "biber type alias fields", biber_aliases.type_fields, model.BIBLATEX_TYPE_ALIAS_FIELDS
        )
        only_tex = {
            k: v for k, v in model.BIBLATEX_FIELD_ALIASES.items() if k not in biber_aliases.fields
        }
        common = {k: v for k, v in model.BIBLATEX_FIELD_ALIASES.items() if k not in only_tex}
        report.same_mapping("biber field aliases", biber_aliases.fields, common)
        if only_tex:
            report.note(f"field aliases only in biblatex.def, not biber-tool.conf: {only_tex}")

    report.same_set(
        "BIBLATEX_ONLY_TYPES",
        blx.types
        - bst.required.keys()
        - tex_aliases.types.keys()
        - model.COMMON_BIBTEX_EXTRA_TYPES,
        model.BIBLATEX_ONLY_TYPES,
    )
    report.same_set(
        "BIBLATEX_ONLY_FIELDS",
        set(blx.field_types)
        - bst.fields
        - tex_aliases.fields.keys()
        - model.COMMON_BIBTEX_EXTRA_FIELDS,
        model.BIBLATEX_ONLY_FIELDS,
    )

    if not args.no_run:
        run_bibtex(bst.required, report)
        run_biber(report)

    if report.failures:
        print(f"\n{report.failures} difference(s)")
        return 1
    print("\nall checks agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
