"""A complimentary grant: staff give a subscription or a film window's access for free, with a reason, and the books
say so. The ledger forbids zero-amount entries (billing_entry_not_zero), and no money moves, so a grant is:
the Subscription or Entitlement (subscription_grant / entitlement_grant), a zero-amount `paid` Payment of provider
`staff` that it points at (how a zero-price trial is recorded too), and a LedgerTransaction of kind `grant` with no
entries and the reason in its memo: visible in the ledger, balanced, and adding nothing to any account or report."""

from django.db import transaction
from django.utils import timezone

from billing.errors import BillingInvalid
from billing.models import Entitlement, LedgerTransaction, Payment, Provider
from billing.services.grants import entitlement_grant
from billing.services.ledger import ledger_post
from billing.services.subscriptions import subscription_grant
from rights.selectors import DEFAULT_CURRENCY


def complimentary_grant(*, user, by, reason: str, plan_code: str = "", interval: str = "month",
                        window_id: int | None = None) -> Payment:
    """Grant `plan_code` for one interval, or what window `window_id` sells, to `user` for free. Exactly one of the
    two. `by` must be staff and `reason` is required (BillingPermissionDenied, BillingInvalid naming the field).
    Returns the zero-amount payment; its ledger transaction has key `grant:<payment id>`."""
    if bool(plan_code) == (window_id is not None):
        raise BillingInvalid(fields={"plan_code": ["Grant either a plan or a window."]})
    at = timezone.now()
    with transaction.atomic():
        if plan_code:
            subscription = subscription_grant(user=user, plan_code=plan_code, interval=interval, by=by, reason=reason)
            payment = Payment.objects.create(
                user=user, purpose=Payment.Purpose.SUBSCRIPTION, provider=Provider.STAFF,
                status=Payment.Status.PAID, currency=DEFAULT_CURRENCY, subtotal_minor=0, amount_minor=0,
                subscription=subscription, plan=subscription.plan, interval=subscription.interval,
                period_start=subscription.current_period_start, period_end=subscription.current_period_end,
                paid_at=at,
            )
            Entitlement.objects.filter(subscription=subscription).update(payment=payment)
            what = f"{subscription.plan.code}/{subscription.interval}"
        else:
            entitlement = entitlement_grant(user=user, window_id=window_id, by=by, reason=reason)
            payment = Payment.objects.create(
                user=user, purpose=Payment.Purpose.PURCHASE, provider=Provider.STAFF,
                status=Payment.Status.PAID, currency=DEFAULT_CURRENCY, subtotal_minor=0, amount_minor=0,
                window_id=entitlement.window_id, film_id=entitlement.film_id,
                window_type=entitlement.window.window_type, paid_at=at,
            )
            entitlement.payment = payment
            entitlement.save(update_fields=["payment"])
            what = f"{entitlement.kind} of film {entitlement.film_id}"
        ledger_post(key=f"grant:{payment.pk}", kind=LedgerTransaction.Kind.GRANT, lines=[], occurred_at=at,
                    payment=payment, memo=f"complimentary {what} by {by.pk}: {reason}")
    return payment
