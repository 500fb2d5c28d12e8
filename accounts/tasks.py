from celery import shared_task

from accounts import services


@shared_task(name="accounts.tokens_flush_expired", acks_late=True)
def tokens_flush_expired() -> int:
    return services.tokens_flush_expired()
