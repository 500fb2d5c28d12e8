"""What a subscriber (or staff) changes on a live subscription: cancel at the period's end, undo that, put a coupon
on the renewals. A Stripe subscription is changed at Stripe too (its webhook confirms)."""

from django.db import transaction
from django.utils import timezone

from billing.errors import BillingInvalid, BillingPermissionDenied, InvalidTransition
from billing.models import OPEN_STATUSES, CouponRedemption, Payment, Subscription
from billing.providers import stripe as stripe_provider
from billing.services.coupons import coupon_payments_for, coupon_quote


def _own_or_staff(*, subscription: Subscription, by) -> None:
    if by is None or not (by.is_staff or by.pk == subscription.user_id):
        raise BillingPermissionDenied("Only the subscriber or staff may change this subscription.")


def _cancel_at_period_end_set(*, subscription: Subscription, by, cancel: bool, ended: str) -> Subscription:
    """Set or clear cancel-at-period-end on a subscription that has not ended (InvalidTransition `ended` if it
    has), at Stripe first when Stripe bills it (ProviderError: nothing changes here)."""
    _own_or_staff(subscription=subscription, by=by)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.status not in OPEN_STATUSES:
            raise InvalidTransition(ended)
        stripe_provider.subscription_cancel_at_period_end_set(subscription=subscription, cancel_at_period_end=cancel)
        subscription.cancel_at_period_end = cancel
        subscription.save(update_fields=["cancel_at_period_end", "updated_at"])
    return subscription


def subscription_cancel(*, subscription: Subscription, by) -> Subscription:
    """Cancel at the end of the paid period: access continues until then, no renewal is taken."""
    return _cancel_at_period_end_set(subscription=subscription, by=by, cancel=True,
                                     ended="This subscription has already ended.")


def subscription_reactivate(*, subscription: Subscription, by) -> Subscription:
    """Undo a cancel before the period ends."""
    return _cancel_at_period_end_set(subscription=subscription, by=by, cancel=False,
                                     ended="This subscription has ended; start a new one.")


def subscription_coupon_apply(*, subscription: Subscription, code: str, by) -> Subscription:
    """Put a coupon on a live subscription: its next renewals are discounted by the coupon's rules (once: the next
    one; N months; forever). Counts as a redemption at once."""
    _own_or_staff(subscription=subscription, by=by)
    at = timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.status not in OPEN_STATUSES:
            raise BillingInvalid(fields={"subscription_id": ["This subscription has ended."]})
        quote = coupon_quote(code=code, user=subscription.user, purpose=Payment.Purpose.SUBSCRIPTION,
                             currency=subscription.currency, subtotal_minor=subscription.amount_minor,
                             at=at, plan=subscription.plan, lock=True)
        following = coupon_payments_for(coupon=quote.coupon, interval=subscription.interval)
        subscription.coupon = quote.coupon
        subscription.coupon_payments_left = None if following is None else following + 1
        subscription.save(update_fields=["coupon", "coupon_payments_left", "updated_at"])
        CouponRedemption.objects.create(
            coupon=quote.coupon, user=subscription.user, subscription=subscription,
            status=CouponRedemption.Status.CONFIRMED,
        )
    return subscription
