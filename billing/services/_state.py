"""The two state machines (subscription, payment): allowed moves in one dict each, one `_transition()` each."""

from django.utils import timezone

from billing.errors import InvalidTransition
from billing.models import Payment, Subscription

S = Subscription.Status
SUBSCRIPTION_TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.TRIALING, S.ACTIVE, S.EXPIRED},
    S.TRIALING: {S.ACTIVE, S.PAST_DUE, S.CANCELED},
    S.ACTIVE: {S.ACTIVE, S.PAST_DUE, S.CANCELED},  # active -> active: a renewal paid
    S.PAST_DUE: {S.ACTIVE, S.LAPSED, S.CANCELED},
    S.CANCELED: set(),
    S.LAPSED: set(),
    # Ended unpaid (its first payment expired), then that payment arrived after all: the access paid for starts.
    S.EXPIRED: {S.TRIALING, S.ACTIVE},
}

P = Payment.Status
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    P.PENDING: {P.PAID, P.FAILED, P.EXPIRED},
    # A provider may confirm after we gave up waiting: the money was taken, so the payment stands.
    P.EXPIRED: {P.PAID},
    P.FAILED: set(),
    P.PAID: {P.REFUNDED},
    P.REFUNDED: set(),
}


def subscription_transition(*, subscription: Subscription, to: str, **fields) -> Subscription:
    """Move a subscription (call with its row locked). Extra `fields` are set in the same save."""
    if to not in SUBSCRIPTION_TRANSITIONS[subscription.status]:
        raise InvalidTransition(f"A subscription cannot go from {subscription.status} to {to}.")
    subscription.status = to
    if to in (S.CANCELED, S.LAPSED, S.EXPIRED):
        subscription.ended_at = fields.pop("ended_at", None) or timezone.now()
    for name, value in fields.items():
        setattr(subscription, name, value)
    subscription.save()
    return subscription


def payment_transition(*, payment: Payment, to: str, **fields) -> Payment:
    """Move a payment (call with its row locked). Extra `fields` are set in the same save."""
    if to not in PAYMENT_TRANSITIONS[payment.status]:
        raise InvalidTransition(f"A payment cannot go from {payment.status} to {to}.")
    payment.status = to
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.save()
    return payment
