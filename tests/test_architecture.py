"""The import rules of docs/architecture.md, checked on the source: no cycles, a Pelican-free
core, renderers that do not import each other, plugins that never import the commands."""

from __future__ import annotations

import ast
import functools
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGES = ("plugins", "pipeline", "checks", "benchmarks")
# The content model's Pelican adapter, and the package's register() that imports it on call;
# every other module of plugins.programme is the pure core.
ADAPTER = {"plugins.programme", "plugins.programme.plugin", "plugins.programme.reader"}
RENDERERS = ("plugins.web", "plugins.events", "plugins.search", "plugins.feeds", "plugins.newsletter",
             "plugins.paper", "plugins.cms")


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def import_graph() -> dict[str, frozenset[str]]:
    """Every module of the project with the names it imports (anywhere in the file); read once
    per test process (the tests only read it)."""
    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = _module(path)
            base = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
            imported: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    origin = base.rsplit(".", node.level - 1)[0] if node.level > 1 else base
                    module = f"{origin}.{node.module}" if node.level and node.module else \
                        (origin if node.level else node.module or "")
                    imported.add(module)
                    imported.update(f"{module}.{alias.name}" for alias in node.names)
            graph[name] = imported
    return {name: frozenset({i for i in imported if i in graph or not i.startswith(PACKAGES)} - {name})
            for name, imported in graph.items()}


def internal(graph: dict[str, frozenset[str]], name: str) -> set[str]:
    return {i for i in graph[name] if i in graph}


def cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in internal(graph, node):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reachable(graph: dict[str, frozenset[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in graph[todo.pop()]:
            if target not in seen:
                seen.add(target)
                if target in graph:
                    todo.append(target)
    return seen


def test_the_graph_sees_relative_and_absolute_imports() -> None:
    graph = import_graph()
    assert "plugins.programme.tree" in graph["plugins.programme.build_state"]  # from .tree import …
    assert "plugins.programme.problems" in graph["pipeline.content_check"]  # from plugins… import …
    assert "pelican.readers" in graph["plugins.programme.reader"]  # a third-party package


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_project_has_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_the_core_of_the_content_model_needs_no_pelican() -> None:
    graph = import_graph()
    core = [m for m in graph if m.startswith("plugins.programme") and m not in ADAPTER]
    assert len(core) > 10
    for module in core:
        pelican = sorted(i for i in reachable(graph, module) if i.split(".")[0] == "pelican")
        assert not pelican, f"{module} reaches {pelican}"


def test_the_core_imports_while_pelican_cannot_be_imported() -> None:
    core = sorted(m for m in import_graph() if m.startswith("plugins.programme") and m not in ADAPTER)
    script = "import sys; sys.modules['pelican'] = None\n" + "".join(f"import {m}\n" for m in core)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_renderers_never_import_each_other_and_plugins_never_import_commands() -> None:
    graph = import_graph()
    for module, imported in graph.items():
        if module.startswith("plugins."):
            assert not {i for i in imported if i.startswith(("pipeline", "checks", "tasks"))}, module
        for renderer in RENDERERS:
            if module.startswith(renderer):
                others = [i for i in imported if i.startswith(RENDERERS) and not i.startswith(renderer)]
                assert not others, f"{module} imports {others}"
        if module.startswith("plugins.programme"):
            assert not [i for i in imported if i.startswith(RENDERERS)], module


def test_renderers_declare_outputs_and_leave_the_build_mechanics_to_the_engine() -> None:
    # No renderer branches on how the build runs (a development rebuild, a split cold build):
    # it declares outputs with the posts they show, and plugins.engine decides.
    mechanics = ("INCREMENTAL_PLAN", "share_of", "mine(", "leader", "was_planned", "plan_of",
                 "SLS_ENGINE", "INCREMENTAL_FROM", "fork")
    for renderer in RENDERERS:
        folder = ROOT / Path(*renderer.split("."))
        for path in sorted(folder.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            found = [word for word in mechanics if word in text]
            assert not found, f"{path.relative_to(ROOT)}: {found}"
            # What renderers share comes from the core, once (plugins/programme/context.py); no
            # renderer sets a setting or what another renderer reads.
            shared = re.findall(r'self\.settings\[[^\]]*\]\s*=(?!=)|settings\.setdefault|'
                                r'context\["(?:agenda|feeds)"\]\s*=|'
                                r'\.related_(?:events|posts)\s*=(?!=)', text)
            assert not shared, f"{path.relative_to(ROOT)}: {shared}"
    graph = import_graph()
    for module, imported in graph.items():
        if module.startswith("plugins.engine"):  # the engine knows no renderer
            assert not [i for i in imported if i.startswith(RENDERERS)], module
