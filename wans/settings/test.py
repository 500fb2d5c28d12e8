"""The test suite: the real database named by DATABASE_URL (SQLite otherwise), fast hashing, eager Celery.

Every folder the platform writes to (var: the SQLite file, the filesystem broker, protected storage; media; uploads;
transcoding work) lives under one temporary folder made for this run, whatever the environment says: the tests never
read or write the checkout's var/ and media/, so `bin/test` leaves a demo served by `bin/run` from the same clone
playing. The environment is set before the base settings are read, which take their folders from it (and make none:
core.folders makes the local ones when the apps start)."""

import os
import tempfile
from pathlib import Path

# A Celery worker that a fault test starts (core/testing/workers.py, WANS_TEST_CHILD=1) is handed that test's own
# folders and broker in its environment, under the run's TEST_ROOT: it keeps them.
TEST_CHILD = os.environ.get("WANS_TEST_CHILD") == "1"
if TEST_CHILD:
    TEST_ROOT = Path(os.environ["WANS_TEST_ROOT"])
else:
    TEST_ROOT = Path(tempfile.mkdtemp(prefix="wans-test-"))
    TEST_FOLDERS = {
        "WANS_VAR_DIR": TEST_ROOT / "var",
        "MEDIA_ROOT": TEST_ROOT / "media",
        "WANS_PROTECTED_ROOT": TEST_ROOT / "var" / "protected",
        "TRANSCODING_UPLOAD_ROOT": TEST_ROOT / "var" / "uploads",
        "TRANSCODING_WORK_ROOT": TEST_ROOT / "var" / "transcode-work",
    }
    os.environ.update({name: str(folder) for name, folder in TEST_FOLDERS.items()})
    os.environ["WANS_TEST_ROOT"] = str(TEST_ROOT)

from core.env import env_str  # noqa: E402
from wans.settings.base import *  # noqa: E402, F403
from wans.settings.base import CACHES, REDIS_URL, STORAGES  # noqa: E402

DEBUG = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared-cache in-memory database: there a live server's thread writing while the test
    # reads fails at once with "database table is locked" (shared cache locks whole tables and never waits); a file
    # in WAL mode lets the reader go on and makes the writer wait its timeout.
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_ROOT / "var" / "test.sqlite3")}  # noqa: F405
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "accounts.hashers.BCrypt12PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No default quiet hours: a test's messages go at once whatever the clock says; quiet-hour tests set their own.
NOTIFICATIONS_QUIET_HOURS = ""
# seed_demo transcodes every demo film (a film is published only with playable media): short clips.
TRANSCODING_DEMO_SECONDS = 2
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STATIC_ROOT = TEST_ROOT / "staticfiles"  # collectstatic's output of bin/run stays the demo's
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "protected": STORAGES["protected"],
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if REDIS_URL:
    # Tests flush their cache: give them their own Redis database so a running platform keeps its sessions, and
    # point the broker there too (tasks run eagerly; the readiness check still connects to it).
    TEST_REDIS_URL = env_str("TEST_REDIS_URL", REDIS_URL.rsplit("/", 1)[0] + "/15")
    CACHES["default"]["LOCATION"] = TEST_REDIS_URL
    if not TEST_CHILD:  # a fault test's worker listens on the broker the test gave it
        CELERY_BROKER_URL = TEST_REDIS_URL
elif not TEST_CHILD:
    CELERY_BROKER_URL = "filesystem://"  # the broker folders of base.py, under the run's own var
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
