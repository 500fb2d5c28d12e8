"""Celery entry points (beat): expire silent sessions; roll the raw playback log up into daily rows."""

from celery import shared_task

from playback import services


@shared_task(name="playback.sessions_expire")
def sessions_expire() -> int:
    return services.sessions_expire()


@shared_task(name="playback.logs_rollup")
def logs_rollup() -> int:
    return len(services.logs_rollup())
