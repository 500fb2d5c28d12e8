"""Celery entry points for notifications: load, call a service. Beat runs the outbox sweep."""

from celery import shared_task

from notifications import services


@shared_task(name="notifications.send", acks_late=True)
def send(notification_id: int) -> str:
    return services.notification_send(notification_id=notification_id)


@shared_task(name="notifications.sweep", acks_late=True)
def sweep() -> dict:
    return services.outbox_sweep()
