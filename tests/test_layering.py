"""One direction of dependencies: front ends -> services -> phases -> model and store, and no import cycle
between the packages of hague (lazy imports inside functions count too; imports for type checking do not)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "hague"
FRONT_ENDS = {"hague.cli", "hague.web"}
SERVICES = {"hague.services"}


def _unit(module: str) -> str:
    """The package (``hague.evidence``) or top-level module (``hague.workspace``) a module belongs to."""
    return ".".join(module.split(".")[:2])


def _imports() -> dict[str, set[str]]:
    """Runtime imports of hague modules, by importing unit."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        found = graph.setdefault(_unit(module), set())
        for node in ast.walk(_runtime(ast.parse(path.read_text(encoding="utf-8")))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("hague"):
                names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "hague" else [node.module]
                found |= {_unit(n) for n in names}
            elif isinstance(node, ast.Import):
                found |= {_unit(a.name) for a in node.names if a.name.startswith("hague.")}
    return {unit: deps - {unit} for unit, deps in graph.items()}


def _runtime(tree: ast.Module) -> ast.Module:
    """The tree without ``if TYPE_CHECKING:`` blocks."""
    class Drop(ast.NodeTransformer):
        def visit_If(self, node: ast.If) -> ast.AST | None:
            return None if "TYPE_CHECKING" in ast.unparse(node.test) else self.generic_visit(node)

    return Drop().visit(tree)


def test_no_import_cycle_between_packages() -> None:
    graph = _imports()
    cycles = []

    def visit(unit: str, path: list[str]) -> None:
        for dep in sorted(graph.get(unit, ())):
            if dep in path:
                cycles.append(path[path.index(dep):] + [dep])
            elif dep not in done:
                visit(dep, [*path, dep])
        done.add(unit)

    done: set[str] = set()
    for unit in sorted(graph):
        if unit not in done:
            visit(unit, [unit])
    assert cycles == []


def test_phases_never_import_services_or_front_ends() -> None:
    graph = _imports()
    for unit, deps in graph.items():
        if unit in FRONT_ENDS:
            continue
        assert not deps & FRONT_ENDS, f"{unit} imports a front end: {deps & FRONT_ENDS}"
        if unit not in SERVICES:
            assert not deps & SERVICES, f"{unit} imports the services: {deps & SERVICES}"
