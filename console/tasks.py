"""Celery entry points for the console: load, call a service."""

from celery import shared_task

from console.digest import staff_digest_send


@shared_task(name="console.staff_digest", acks_late=True)
def staff_digest() -> int:
    return staff_digest_send()
