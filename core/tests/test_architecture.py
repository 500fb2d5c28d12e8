"""App boundaries (CONVENTIONS.md): an app reaches another only through its services, selectors or errors,
and only along the allowed dependency directions. Read from the source with ast, so a new import is checked too."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "core", "accounts", "notifications", "catalog", "rights", "billing", "playback", "transcoding", "royalties",
    "payouts", "web", "studio", "console",
]
# app -> the apps it may import. Mirrors docs/architecture.md.
ALLOWED = {
    "core": set(),
    "accounts": {"core"},
    # Notifications (issue 15) sit just above accounts: every app that raises an event calls its services.
    "notifications": {"core", "accounts"},
    "catalog": {"core", "accounts", "notifications"},
    "rights": {"core", "accounts", "catalog", "notifications"},
    "transcoding": {"core", "accounts", "catalog", "notifications"},
    "billing": {"core", "accounts", "catalog", "rights", "notifications"},
    "playback": {"core", "accounts", "catalog", "rights", "billing", "transcoding", "notifications"},
    # Royalties (issue 14) split the ledger's creator shares between payees; payouts pay payees' balances out.
    "royalties": {"core", "accounts", "catalog", "rights", "billing", "notifications"},
    "payouts": {"core", "accounts", "catalog", "rights", "billing", "royalties", "notifications"},
    "web": {"core", "accounts", "catalog", "rights", "billing", "playback", "transcoding", "notifications"},
    # The creator portal, beside the viewer site: the same services and selectors, no app imports it.
    "studio": {
        "core", "accounts", "catalog", "rights", "billing", "playback", "transcoding", "notifications", "royalties",
        "payouts",
    },
    # The admin console (issue 12), at the top too: it reads every app and writes through their services.
    "console": {
        "core", "accounts", "catalog", "rights", "billing", "playback", "transcoding", "notifications", "royalties",
        "payouts",
    },
}
PUBLIC = {"services", "selectors", "errors"}
# The front ends at the top (web, studio) may also answer in another app's published JSON shape, its API
# serializers: the storefront API (web/api) renders films with catalog's, as catalog's own API does. Directions
# are unchanged by this: nothing below imports a front end.
SHAPES = {"web": {("api", "serializers")}, "studio": {("api", "serializers")}}
# The shared test fixtures (a pytest plugin, never imported by application code) sit above every app, as tests do:
# they make users, published films with media rows, windows and clips through whichever app owns each.
TEST_SUPPORT = ("core/testing/",)


def _imports(app: str):
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module + "." + alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                yield path.relative_to(ROOT), name.split(".")


def test_apps_import_each_other_only_through_their_public_modules_and_allowed_directions():
    problems = []
    for app in APPS:
        for path, parts in _imports(app):
            target = parts[0]
            if target not in APPS or target == app or str(path).startswith(TEST_SUPPORT):
                continue
            if target not in ALLOWED[app]:
                problems.append(f"{path}: {app} may not depend on {target}")
            elif target != "core" and (len(parts) < 2 or parts[1] not in PUBLIC) and (
                tuple(parts[1:3]) not in SHAPES.get(app, set())
            ):
                problems.append(f"{path}: imports {'.'.join(parts)}; use {target}.services/selectors/errors")
    assert problems == []


def test_no_application_code_imports_the_test_support():
    users = [
        str(path) for app in APPS for path, parts in _imports(app)
        if parts[:2] == ["core", "testing"] and "tests" not in path.parts and not str(path).startswith(TEST_SUPPORT)
    ]
    assert users == []


def test_the_checker_sees_imports():
    found = {tuple(parts[:2]) for _, parts in _imports("accounts")}
    assert ("core", "maturity") in found


# --- Import circles -------------------------------------------------------------------------------------------------
# A module-level import circle works only while the import order happens to suit it: move one import and a partially
# initialised module fails far from the edit. The graph is read with ast over every app (module-level imports only,
# `if TYPE_CHECKING:` blocks left out, as they never run); its strongly connected components are the circles.

CIRCLE_ROOTS = [*APPS, "wans"]
# Function-level imports of a project module that would close a circle at module level, each kept for a reason.
LAZY_IMPORTS_ALLOWED = {
    # Celery's ordinary idiom (the review, §2c): a service enqueues its task on commit, the task calls the service.
    ("billing.services.payments", "billing.tasks"): "a service enqueues the sandbox's delayed answer (Celery idiom)",
    ("payouts.services.runs", "payouts.tasks"): "a service enqueues the run's execution on commit (Celery idiom)",
    ("payouts.services.execution", "payouts.tasks"): "a service enqueues the payouts sandbox's delayed answer",
}
# Adapters are transport (the review, §2a1): a payment provider or payout rail never reaches up into the application.
MAY_NOT_IMPORT = {
    "billing.providers": ("billing.services", "billing.tasks"),
    "payouts.rails": ("payouts.services", "payouts.tasks"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_files(roots=CIRCLE_ROOTS, base: Path = ROOT) -> dict[str, Path]:
    files = {}
    for root in roots:
        for path in (base / root).rglob("*.py"):
            if "migrations" not in path.parts:
                files[".".join(path.relative_to(base).with_suffix("").parts).removesuffix(".__init__")] = path
    return files


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _import_nodes(tree: ast.AST):
    """(node, at_module_level) for every import; a function body is not module level, a class body is."""

    def walk(node: ast.AST, top: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, top
            elif _is_type_checking(child):
                yield from walk(ast.Module(body=child.orelse, type_ignores=[]), top)
            else:
                yield from walk(child, top and not isinstance(child, FUNCTIONS))

    yield from walk(tree, True)


def _targets(node: ast.AST, module: str, is_package: bool, known) -> set[str]:
    """The project modules an import runs: `from a.b import c` reads a.b (and runs a.b.c if that is a module)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([base] if base else [])])
    found = {base} if base in known else set()
    found |= {f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known}
    return found


def _import_graph(files: dict[str, Path]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module-level edges, function-level edges) between project modules."""
    top: dict[str, set[str]] = {name: set() for name in files}
    lazy: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node, at_top in _import_nodes(tree):
            for target in _targets(node, name, path.name == "__init__.py", files) - {name}:
                (top if at_top else lazy)[name].add(target)
    return top, lazy


def _circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for child in graph.get(todo.pop(), ()):
            if child == goal:
                return True
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return False


def _circle_dodges(top: dict[str, set[str]], lazy: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Function-level imports that sit on an import circle: written at the top of their module (they and the other
    function-level imports on the circle), they would close it."""
    both = {module: top[module] | lazy[module] for module in top}
    return {(module, target) for module in lazy for target in lazy[module] if _reaches(both, target, module)}


def test_no_module_level_import_circles():
    top, _lazy = _import_graph(_module_files())
    circles = set(_circles(top))
    assert sorted(sorted(circle) for circle in circles) == []


def test_no_function_level_import_that_only_dodges_a_circle():
    top, lazy = _import_graph(_module_files())
    dodges = _circle_dodges(top, lazy) - set(LAZY_IMPORTS_ALLOWED)
    assert sorted(dodges) == []


def test_every_allowed_lazy_import_still_exists_and_has_a_reason():
    _top, lazy = _import_graph(_module_files())
    for (module, target), reason in LAZY_IMPORTS_ALLOWED.items():
        assert target in lazy[module], f"{module} no longer imports {target} lazily: drop it from the list"
        assert len(reason) > 20


def test_the_circle_checker_sees_a_planted_circle_and_a_lazy_dodge(tmp_path):
    package = tmp_path / "planted"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from planted import b\n")
    (package / "b.py").write_text("import planted.sub.c\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "c.py").write_text("from ..a import thing\n")  # a -> b -> sub.c -> a
    (package / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from planted import e\n"
        "def later():\n    from planted.e import thing\n"
    )
    (package / "e.py").write_text("from planted.d import later\n")
    top, lazy = _import_graph(_module_files(["planted"], tmp_path))
    assert _circles(top) == [frozenset({"planted.a", "planted.b", "planted.sub.c"})]
    assert _circle_dodges(top, lazy) == {("planted.d", "planted.e")}


def test_adapters_never_import_the_application_layer():
    top, lazy = _import_graph(_module_files())
    problems = [
        f"{module} imports {target}"
        for module in top
        for prefix, forbidden in MAY_NOT_IMPORT.items()
        if module == prefix or module.startswith(prefix + ".")
        for target in top[module] | lazy[module]
        if any(target == name or target.startswith(name + ".") for name in forbidden)
    ]
    assert problems == []


def test_every_app_s_tests_run_by_default():
    """bin/test runs pytest's testpaths: an app missing there has tests nobody runs (royalties and payouts were)."""
    import tomllib

    testpaths = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"]
    assert [app for app in APPS if (ROOT / app / "tests").is_dir() and app not in testpaths] == []
