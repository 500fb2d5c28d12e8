"""Celery entry points for rights: load, call a service."""

from celery import shared_task

from rights import services


@shared_task(name="rights.my_list_openings_notify", acks_late=True)
def my_list_openings_notify() -> int:
    return services.my_list_openings_notify()
