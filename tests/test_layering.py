"""The layout's promise, checked on the source: imports point down (ui -> training -> bot), no circles.

Every `import` / `from ... import` in bot/, training/ and ui/ is read with `ast` (lazy imports inside
functions included), so a new upward import or cycle fails here before anyone trips over it.
"""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LAYERS = {"bot": 0, "training": 1, "ui": 2}  # a module may import its own layer or a lower one


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> dict[str, Path]:
    return {module_name(p): p for layer in LAYERS for p in (REPO / layer).rglob("*.py")}


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that `path` imports (resolving `from pkg import submodule` to the submodule)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                     for a in node.names]
        else:
            continue
        found.update(n for n in names if n.split(".")[0] in LAYERS)
    return found


def test_no_layer_imports_a_layer_above_it():
    modules = our_modules()
    upward = []
    for name, path in modules.items():
        for target in imports_of(path, modules):
            if LAYERS[target.split(".")[0]] > LAYERS[name.split(".")[0]]:
                upward.append(f"{name} -> {target}")
    assert not upward, "imports that point up a layer:\n" + "\n".join(sorted(upward))


def test_the_import_graph_has_no_cycles():
    modules = our_modules()
    graph = {name: {t for t in imports_of(path, modules) if t in modules and t != name} for name, path in modules.items()}
    # a package's __init__ importing its own submodules is not a cycle worth reporting
    graph = {n: {t for t in ts if not (t.startswith(n + ".") and modules[n].name == "__init__.py")} for n, ts in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_checker_sees_an_upward_import(tmp_path):
    """The walk itself works: a file that imports ui from bot is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from ui.app import bot_from_args\n")
    assert imports_of(bad, our_modules()) == {"ui.app"}
