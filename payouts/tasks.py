"""Celery entry points for payouts: load, call a service. Idempotent and acks_late (a run is claimed by one executor
at a time; every payout is claimed once and every rail call carries its idempotency key)."""

from celery import shared_task

from payouts import services


@shared_task(name="payouts.run_execute", acks_late=True)
def run_execute(run_id: int) -> dict:
    return services.payout_run_execute(run_id=run_id)


@shared_task(name="payouts.sandbox_resolve", acks_late=True)
def sandbox_resolve_later(payout_id: int, outcome: str) -> dict | None:
    """The simulated wallet's answer, sent after PAYOUTS_SANDBOX_DELAY_SECONDS."""
    return services.payout_sandbox_resolve(payout_id=payout_id, outcome=outcome)


@shared_task(name="payouts.runs_resume", acks_late=True)
def runs_resume() -> dict:
    return services.payout_runs_resume()
