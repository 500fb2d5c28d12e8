"""App boundaries (CONVENTIONS.md): an app reaches another only through its services, selectors or errors,
and only along the allowed dependency directions. Read from the source with ast, so a new import is checked too."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "accounts", "catalog", "rights", "billing", "playback", "transcoding", "web", "studio", "console"]
# app -> the apps it may import. Mirrors docs/architecture.md.
ALLOWED = {
    "core": set(),
    "accounts": {"core"},
    "catalog": {"core", "accounts"},
    "rights": {"core", "accounts", "catalog"},
    "transcoding": {"core", "accounts", "catalog"},
    "billing": {"core", "accounts", "catalog", "rights"},
    "playback": {"core", "accounts", "catalog", "rights", "billing", "transcoding"},
    "web": {"core", "accounts", "catalog", "rights", "billing", "playback", "transcoding"},
    # The creator portal, beside the viewer site: the same services and selectors, no app imports it.
    "studio": {"core", "accounts", "catalog", "rights", "billing", "playback", "transcoding"},
    # The admin console (issue 12), at the top too: it reads every app and writes through their services.
    "console": {"core", "accounts", "catalog", "rights", "billing", "playback", "transcoding"},
}
PUBLIC = {"services", "selectors", "errors"}
# Catalog's front ends (not its services or selectors) filter by availability, which rights answers; their tests
# set windows up through rights' services.
FRONT_END_EXTRA = {"catalog": ({"rights"}, ("catalog/api/", "catalog/views.py", "catalog/urls.py", "catalog/tests/"))}


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
            if target not in APPS or target == app:
                continue
            extra, front_ends = FRONT_END_EXTRA.get(app, (set(), ()))
            allowed = ALLOWED[app] | (extra if str(path).startswith(front_ends) else set())
            if target not in allowed:
                problems.append(f"{path}: {app} may not depend on {target}")
            elif target != "core" and (len(parts) < 2 or parts[1] not in PUBLIC):
                problems.append(f"{path}: imports {'.'.join(parts)}; use {target}.services/selectors/errors")
    assert problems == []


def test_the_checker_sees_imports():
    found = {tuple(parts[:2]) for _, parts in _imports("accounts")}
    assert ("core", "maturity") in found
