"""The local run (bin/run, the demo): pages as a viewer sees them (styled 404 and 500), so debug is off unless
DJANGO_DEBUG=1 asks for Django's debug pages."""

from core.env import env_bool
from wans.settings.base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", False)

# Serve static files straight from static/ so edits show without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
