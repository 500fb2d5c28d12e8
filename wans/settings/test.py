"""The test suite: the real database named by DATABASE_URL (SQLite otherwise), fast hashing, eager Celery."""

from core.env import env_str
from wans.settings.base import *  # noqa: F403
from wans.settings.base import CACHES, REDIS_URL, STORAGES

DEBUG = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "accounts.hashers.BCrypt12PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "protected": STORAGES["protected"],
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if REDIS_URL:
    # Tests flush their cache: give them their own Redis database so a running platform keeps its sessions.
    CACHES["default"]["LOCATION"] = env_str("TEST_REDIS_URL", REDIS_URL.rsplit("/", 1)[0] + "/15")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
