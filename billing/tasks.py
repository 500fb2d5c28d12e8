"""Celery entry points for billing: load, call a service, decide retry. Beat runs the sweeps."""

from celery import shared_task

from billing import services


@shared_task(name="billing.subscriptions_sweep", acks_late=True)
def subscriptions_sweep() -> dict:
    return services.subscriptions_sweep()
