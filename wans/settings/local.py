"""The local run: debug on unless DJANGO_DEBUG says otherwise."""

from core.env import env_bool
from wans.settings.base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)

# Serve static files straight from static/ so edits show without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
