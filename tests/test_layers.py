"""The package's layers, read from its source: no import climbs back up, no two
modules import each other (directly or round a circle), and only ``lsp/``
imports pygls and lsprotocol (docs/architecture.md, "Layers")."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bib_lsp"

# What each layer may import besides itself: each only what is below it.
BELOW = {
    "text": set(),
    "syntax": {"text"},
    "document": {"syntax", "text"},
    "model": {"document", "syntax", "text"},
    "rules": {"model", "document", "syntax", "text"},
    "features": {"model", "document", "syntax", "text"},
    "formatting": {"document", "syntax", "text"},
    "docgen": {"rules", "model", "document", "syntax", "text"},
    # the project file: reads format and check options for the CLI and the server
    "project": {"rules", "features", "formatting", "model", "document", "syntax", "text"},
}
EDGES = {"lsp", "cli"}  # the top: may import any layer, and each other's shared parts


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def layer(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def imported(module: str) -> Iterator[str]:
    """The modules ``module`` imports when it runs (imports only for type checkers
    left out); ``from package import submodule`` names the submodule."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
            if len(submodules) == len(node.names):
                yield from submodules
            else:
                yield base
                yield from submodules


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for other in node.orelse:
                yield other
                yield from _runtime_nodes(other)
            continue
        yield node
        yield from _runtime_nodes(node)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


GRAPH = {m: {i for i in imported(m) if i in MODULES and i != m} for m in MODULES}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) in BELOW))
def test_a_layer_imports_only_the_layers_below_it(module: str) -> None:
    own = layer(module)
    above = {i for i in GRAPH[module] if layer(i) not in BELOW[own] | {own, ""}}
    assert not above, f"{module} imports {sorted(above)}, above or beside its layer"


def test_no_import_circle() -> None:
    circles = [c for c in _strongly_connected(GRAPH) if len(c) > 1]
    assert not circles, f"modules importing each other: {circles}"


def test_only_the_lsp_edge_imports_pygls_and_lsprotocol() -> None:
    outside = sorted(
        m
        for m in MODULES
        if layer(m) != "lsp"
        for i in imported(m)
        if i.split(".")[0] in ("pygls", "lsprotocol")
    )
    assert not outside, f"pygls or lsprotocol imported outside bib_lsp.lsp: {outside}"


def test_every_layer_is_known() -> None:
    """A new top-level module or package is placed in the table above."""
    unknown = {layer(m) for m in MODULES} - set(BELOW) - EDGES - {"", "__main__"}
    assert not unknown, f"place these in BELOW or EDGES: {sorted(unknown)}"


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(sorted(component))
    return found
