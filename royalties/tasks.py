"""Celery entry points for royalties: load, call a service. Beat closes each month's statements."""

from celery import shared_task
from django.utils import timezone

from royalties import emails, selectors, services


@shared_task(name="royalties.statements_close", acks_late=True)
def statements_close() -> list[str]:
    return services.statements_close_due(now=timezone.now())


@shared_task(name="royalties.statement_email", acks_late=True)
def statement_email(statement_id: int) -> bool:
    """Email a payee that a statement is ready, once (a statement already emailed is skipped)."""
    statement = selectors.statement_get(statement_id=statement_id)
    if statement is None or statement.emailed_at is not None or not statement.payee.email:
        return False
    emails.statement_ready_send(statement=statement)
    return services.statement_emailed(statement_id=statement_id, at=timezone.now())
