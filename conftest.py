import os
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.utils import translation

# --- Isolation: the tests never touch the checkout's var/ and media/ (a demo may be running from them) ------------
#
# wans/settings/test.py points every folder setting at a temporary folder before the settings are read. Here a
# session guard checks that it did, and an audit hook (PEP 578) records every file operation of this process (any
# thread: the live server's included) and every subprocess (ffmpeg, the packager) naming a path inside the
# checkout's var/ or media/. The test that did it fails at its teardown; anything outside a test fails the session.
# An audit hook rather than a before/after snapshot of the folders: a demo served from the same clone changes them
# on its own (heartbeats in the SQLite file, the broker's message files), and that must not fail the tests.

# The fixtures every app's tests share (users, published films, windows, plans, clips, folders): one home.
pytest_plugins = ["core.testing.fixtures"]

CHECKOUT = Path(__file__).resolve().parent
REAL_FOLDERS = tuple(
    {os.path.join(base, name) for base in (str(CHECKOUT), os.path.abspath(os.path.dirname(__file__)))
     for name in ("var", "media")}
)
_FILE_EVENTS = {
    "open", "os.mkdir", "os.remove", "os.rmdir", "os.rename", "os.truncate", "os.utime", "os.chmod", "os.chown",
    "os.link", "os.symlink", "os.listdir", "os.scandir", "shutil.copyfile", "shutil.copytree", "shutil.rmtree",
    "shutil.move", "sqlite3.connect",
}
_touched: list[tuple[str, str, str]] = []  # (test, event, path)
_current_test = {"id": "(outside any test)"}


def _inside_real(value) -> str | None:
    if isinstance(value, int) or value is None:
        return None
    try:
        path = os.path.abspath(os.fsdecode(value))
    except (TypeError, ValueError):
        return None
    for folder in REAL_FOLDERS:
        if path == folder or path.startswith(folder + os.sep):
            return path
    return None


def _audit(event: str, args: tuple) -> None:
    if event in _FILE_EVENTS:
        candidates = args[:2] if event in ("os.rename", "os.link", "os.symlink", "shutil.copyfile",
                                           "shutil.copytree", "shutil.move") else args[:1]
    elif event == "subprocess.Popen":
        command = args[1] if len(args) > 1 else ()
        candidates = [command] if isinstance(command, str | bytes) else list(command or ())
    else:
        return
    for candidate in candidates:
        path = _inside_real(candidate)
        if path is not None:
            _touched.append((_current_test["id"], event, path))


sys.addaudithook(_audit)


def _settings_outside(*roots) -> list[str]:
    """Every folder setting that is not under one of `roots` (temporary folders), and Redis shared with the
    platform."""
    roots = [os.path.abspath(str(root)) for root in roots if root]
    folders = {
        "MEDIA_ROOT": django_settings.MEDIA_ROOT,
        "VAR_DIR": django_settings.VAR_DIR,
        "TRANSCODING_UPLOAD_ROOT": django_settings.TRANSCODING_UPLOAD_ROOT,
        "TRANSCODING_WORK_ROOT": django_settings.TRANSCODING_WORK_ROOT,
    }
    protected = django_settings.STORAGES["protected"].get("OPTIONS", {})
    if "location" in protected and "S3" not in django_settings.STORAGES["protected"]["BACKEND"]:
        folders['STORAGES["protected"]'] = protected["location"]
    database = django_settings.DATABASES["default"]
    name = str(database["NAME"])
    if database["ENGINE"].endswith("sqlite3") and name != ":memory:" and "mode=memory" not in name:
        folders["DATABASES NAME"] = database["NAME"]  # a file; the test database in memory touches no folder
    for key, value in (django_settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).items():
        if key.endswith("folder") or key.startswith("data_folder"):
            folders[f"CELERY_BROKER_TRANSPORT_OPTIONS[{key}]"] = value
    wrong = [f"{name} = {value}" for name, value in folders.items()
             if not any(os.path.abspath(str(value)).startswith(root + os.sep) for root in roots)]
    if django_settings.REDIS_URL:
        for name, url in (("cache", django_settings.CACHES["default"]["LOCATION"]),
                          ("CELERY_BROKER_URL", django_settings.CELERY_BROKER_URL)):
            if url == django_settings.REDIS_URL:
                wrong.append(f"{name} = REDIS_URL (the platform's Redis database; set TEST_REDIS_URL)")
    return wrong


@pytest.fixture(scope="session", autouse=True)
def _isolated_session():
    """The whole run: every folder under the temporary root, no storage object made before (cached with the
    settings of import time); at the end, nothing of the checkout's var/ or media/ touched, and the root removed."""
    import shutil

    from django.core.files.storage import default_storage, storages
    from django.utils.functional import empty

    wrong = _settings_outside(getattr(django_settings, "TEST_ROOT", None))
    if wrong:
        pytest.fail("Test settings point outside the run's temporary folder:\n  " + "\n  ".join(wrong))
    storages._backends = None
    storages._storages = {}
    default_storage._wrapped = empty
    yield
    cache.clear()
    if _touched:
        pytest.fail(_touched_report(_touched))
    shutil.rmtree(django_settings.TEST_ROOT, ignore_errors=True)


def _touched_report(entries) -> str:
    lines = sorted({f"{test}: {event} {path}" for test, event, path in entries})
    return "Tests touched the checkout's var/ or media/ (a running demo's files):\n  " + "\n  ".join(lines[:30])


@pytest.fixture(autouse=True)
def _isolated(request, protected_storage_tmp):
    """Each test: an empty cache (rate limits, sessions), the site's language (a request in Tok Pisin leaves it
    active in the thread: LocaleMiddleware activates a language and nothing deactivates it, so a service called
    after it would refuse in Tok Pisin), and its own media, protected storage, upload and work folders (core.testing's
    `protected_storage_tmp`); it fails if it touched the checkout's var/ or media/."""
    _current_test["id"] = request.node.nodeid
    already = len(_touched)
    cache.clear()
    translation.deactivate()
    yield
    cache.clear()
    _current_test["id"] = "(outside any test)"
    mine = _touched[already:]
    if mine:
        del _touched[already:]
        pytest.fail(_touched_report(mine))


# --- Transactional tests (the browser's among them): the same starting data on SQLite and Postgres, in any order ---


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated data (serialized rollback) and leaves an empty database.

    Mixed with non-serialized ones, a flush re-runs post_migrate, which makes groups, content types and permissions
    again under new ids; the next serialized test then restores the originals beside them and fails on a unique
    name (`UNIQUE constraint failed: auth_group.name`). One rule for all removes the mix."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            "transactional_db" in fixtures or "live_server" in fixtures
        )
        if not transactional or (marker is not None and marker.kwargs.get("serialized_rollback")):
            continue
        kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
        item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)


# Requests the test server is answering (the live server's threads): the browser tests wait for none before the
# database is flushed.
_in_flight = {"count": 0, "changed": 0.0}
_in_flight_lock = threading.Lock()


def _request_started(**kwargs) -> None:
    with _in_flight_lock:
        _in_flight["count"] += 1
        _in_flight["changed"] = time.monotonic()


def _request_finished(**kwargs) -> None:
    with _in_flight_lock:
        _in_flight["count"] = max(0, _in_flight["count"] - 1)
        _in_flight["changed"] = time.monotonic()


request_started.connect(_request_started, dispatch_uid="conftest.in_flight_started")
request_finished.connect(_request_finished, dispatch_uid="conftest.in_flight_finished")


def live_server_quiet(*, quiet_seconds: float = 1.0, timeout: float = 15.0) -> None:
    """Wait until the live server has answered every request and received none for `quiet_seconds`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _in_flight_lock:
            idle = _in_flight["count"] == 0 and time.monotonic() - _in_flight["changed"] >= quiet_seconds
        if idle:
            return
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def _browser_settled(request):
    """A test with the live server: at its end every browser page is closed (a player left open keeps sending
    heartbeats; closing it sends the last stop) and the server has answered them all, before the database is
    flushed. On SQLite the live server shares the test's connection, so a heartbeat written during the flush
    broke it (`FOREIGN KEY constraint failed`); on Postgres it raced the TRUNCATE."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up before this fixture, so flushed after its teardown
    yield
    if "chromium" in request.fixturenames:
        browser = request.getfixturevalue("chromium")
        for context in list(browser.contexts):
            context.close()
    live_server_quiet()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser). Screenshots go to test-artifacts/."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt-get")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshots():
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
