"""The Celery app. Queues: `default`, `billing`, and `transcoding` (its own, so a long encode never delays billing)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wans.settings.local")

app = Celery("wans")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
