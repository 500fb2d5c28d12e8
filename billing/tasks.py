"""Celery entry points for billing: load, call a service, decide retry. Beat runs the sweeps."""

from celery import shared_task
from django.utils import timezone

from billing import services


@shared_task(name="billing.subscriptions_sweep", acks_late=True)
def subscriptions_sweep() -> dict:
    return services.subscriptions_sweep()


@shared_task(name="billing.payments_expire", acks_late=True)
def payments_expire() -> int:
    return services.payments_expire()


@shared_task(name="billing.sandbox_resolve", acks_late=True)
def sandbox_resolve_later(payment_id: int, outcome: str) -> dict | None:
    """The sandbox wallet's answer, sent after a countdown (BILLING_SANDBOX_DELAY_SECONDS) through the service
    billing.services.sandbox_resolve. The task keeps its Celery name; queued messages name it."""
    return services.sandbox_resolve(payment_id=payment_id, outcome=outcome)


@shared_task(name="billing.svod_pools_split", acks_late=True)
def svod_pools_split() -> list[str]:
    return services.svod_pools_split_due(today=timezone.now().date())


@shared_task(name="billing.reminders_send", acks_late=True)
def reminders_send() -> dict:
    """Renewals due in 3 days, grace periods ending, rentals ending in 6 hours (issue 15)."""
    return services.reminders_send()
