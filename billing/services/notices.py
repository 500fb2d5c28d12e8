"""What billing tells people (issue 15), each raised through notifications.services.notify inside the transaction
that makes it true: receipts, failed and timed-out payments, the start of a grace period, and the beat's reminders
(a renewal in 3 days, the last day of grace, a rental ending in 6 hours). Keys make each one once per occurrence."""

from datetime import datetime, timedelta

from django.utils import timezone

from billing.models import Entitlement, Payment, Provider, Subscription
from billing.providers.registry import WALLET_CODES, provider_info
from catalog import selectors as catalog_selectors
from notifications import services as notifications

RENEWAL_NOTICE = timedelta(days=3)
GRACE_NOTICE = timedelta(days=1)
RENTAL_NOTICE = timedelta(hours=6)


def _item(payment: Payment) -> str:
    """What the payment is for, as the receipt names it: the plan and period, or the film."""
    if payment.purpose == Payment.Purpose.SUBSCRIPTION and payment.plan_id:
        return f"{payment.plan.name}, {payment.get_interval_display().lower()}"
    film = catalog_selectors.film_get(film_id=payment.film_id) if payment.film_id else None
    return film.title if film else payment.reference


def _pay_to_renew(subscription: Subscription) -> bool:
    return not provider_info(subscription.provider).renews_itself


def payment_receipt_notify(*, payment: Payment) -> None:
    """A payment is paid (inside payment_confirm's transaction). Free payments (a trial, a staff grant) need none."""
    if payment.amount_minor <= 0 or payment.provider == Provider.STAFF:
        return
    notifications.notify(event="payment_receipt", user=payment.user, key=str(payment.public_id), context={
        "reference": payment.reference, "amount_minor": payment.amount_minor, "currency": payment.currency,
        "item": _item(payment), "paid_at": payment.paid_at or timezone.now(),
        "payment_public_id": str(payment.public_id), "provider": payment.get_provider_display(),
    })


def payment_failed_notify(*, payment: Payment, expired: bool) -> None:
    """A payment failed, or a wallet's request went unanswered until it expired (inside payment_fail's transaction)."""
    context = {"reference": payment.reference, "amount_minor": payment.amount_minor, "currency": payment.currency,
               "item": _item(payment)}
    if expired and payment.provider in WALLET_CODES:
        notifications.notify(event="payment_timed_out", user=payment.user, context=context,
                             key=str(payment.public_id))
        return
    notifications.notify(event="payment_failed", user=payment.user, key=str(payment.public_id),
                         context={**context, "reason": payment.failure_reason or "-"})


def renewal_failed_notify(*, subscription: Subscription) -> None:
    """A period ended unpaid: the grace period began (inside the sweep's transaction)."""
    notifications.notify(
        event="renewal_failed", user=subscription.user, key=f"{subscription.pk}:{subscription.grace_until:%Y%m%d%H%M}",
        context={"plan": subscription.plan.name, "grace_until": subscription.grace_until,
                 "pay_to_renew": _pay_to_renew(subscription)},
    )


def reminders_send(*, at: datetime | None = None) -> dict[str, int]:
    """Beat: remind of renewals due within 3 days (PNG rails with a pay-to-renew link; cards say they will be
    charged), of a grace period's last day, and of rentals ending within 6 hours. Each occurrence is raised on every
    run until it passes; its key makes it one message."""
    at = at or timezone.now()
    counts = {"renewal_due": 0, "grace_ending": 0, "rental_ending": 0}
    due = Subscription.objects.filter(
        status__in=[Subscription.Status.ACTIVE, Subscription.Status.TRIALING], cancel_at_period_end=False,
        current_period_end__gt=at, current_period_end__lte=at + RENEWAL_NOTICE,
    ).exclude(provider=Provider.STAFF).select_related("plan", "user")
    for subscription in due:
        counts["renewal_due"] += len(notifications.notify(
            event="renewal_due", user=subscription.user,
            key=f"{subscription.pk}:{subscription.current_period_end:%Y%m%d%H%M}",
            context={"plan": subscription.plan.name, "amount_minor": subscription.amount_minor,
                     "currency": subscription.currency, "due_at": subscription.current_period_end,
                     "pay_to_renew": _pay_to_renew(subscription)},
        ))
    ending = Subscription.objects.filter(status=Subscription.Status.PAST_DUE, grace_until__gt=at,
                                         grace_until__lte=at + GRACE_NOTICE).select_related("plan", "user")
    for subscription in ending:
        counts["grace_ending"] += len(notifications.notify(
            event="grace_ending", user=subscription.user,
            key=f"{subscription.pk}:{subscription.grace_until:%Y%m%d%H%M}",
            context={"plan": subscription.plan.name, "grace_until": subscription.grace_until,
                     "pay_to_renew": _pay_to_renew(subscription)},
        ))
    rentals = Entitlement.objects.filter(kind=Entitlement.Kind.RENTAL, revoked_at__isnull=True, ends_at__gt=at,
                                         ends_at__lte=at + RENTAL_NOTICE).select_related("user", "film")
    for rental in rentals:
        if rental.film is None:
            continue
        counts["rental_ending"] += len(notifications.notify(
            event="rental_ending", user=rental.user, key=str(rental.pk),
            context={"film_title": rental.film.title, "film_slug": rental.film.slug, "ends_at": rental.ends_at},
        ))
    return counts


def rental_started_notify(*, user, window, entitlement_id: int, ends_at: datetime) -> None:
    """The first play started a rental's clock."""
    film = catalog_selectors.film_get(film_id=window.film_id)
    if film is None:
        return
    notifications.notify(event="rental_started", user=user, key=str(entitlement_id),
                         context={"film_title": film.title, "film_slug": film.slug, "ends_at": ends_at})
