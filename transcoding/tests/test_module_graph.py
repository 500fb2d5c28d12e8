"""No import circle between transcoding's own modules, counting the imports inside functions too: a lazy import that
only hides a circle is a circle (issue 11). Read from the source with ast, like core/tests/test_architecture.py."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1]
ROOT = APP.parent


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        modules[".".join(relative.with_suffix("").parts).removesuffix(".__init__")] = path
    return modules


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the app's modules it imports anywhere in its file (top level or inside a function)."""
    graph = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other (strongly connected, more than one module), sorted."""
    reach = {name: _reachable(graph, name) for name in graph}
    groups = {frozenset(other for other in reach[name] if name in reach[other]) | {name} for name in graph}
    return sorted(sorted(group) for group in groups if len(group) > 1)


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        for target in graph[stack.pop()]:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def test_transcoding_modules_import_each_other_without_a_circle():
    assert circles(import_graph(_modules())) == []


def test_the_checker_sees_a_circle_closed_inside_a_function(tmp_path):
    (tmp_path / "a.py").write_text("from app import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from app.c import thing\n")
    (tmp_path / "c.py").write_text("import app.a\n")
    (tmp_path / "d.py").write_text("from app import a\n")
    modules = {f"app.{name}": tmp_path / f"{name}.py" for name in "abcd"}

    assert circles(import_graph(modules)) == [["app.a", "app.b", "app.c"]]


def test_the_pipeline_and_the_services_are_layered():
    """services -> pipeline -> lifecycle -> storage, and uploads above services: never the other way."""
    graph = import_graph(_modules())

    assert "transcoding.services" not in _reachable(graph, "transcoding.pipeline")
    assert "transcoding.uploads" not in _reachable(graph, "transcoding.services")
    assert "transcoding.tasks" not in _reachable(graph, "transcoding.services")
    assert _reachable(graph, "transcoding.storage") == set()
    assert _reachable(graph, "transcoding.manifests") == set()
