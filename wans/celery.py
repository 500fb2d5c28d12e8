"""The Celery app. Queues: `default`, `billing`, and `transcoding` (its own, so a long encode never delays billing)."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wans.settings.local")

app = Celery("wans")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_to_start_on_errors(**kwargs) -> None:
    """A worker, like wans.wsgi, does not start while a security check fails (in production: the sandbox rail, a
    missing key master that every encrypted encode needs)."""
    from core.checks import refuse_to_start_on_errors

    refuse_to_start_on_errors()
