"""Coupons: every rule checked in one place, with the reason a code is refused."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from billing.errors import CouponRefused
from billing.models import Coupon, CouponRedemption, Payment, Plan, Provider, Subscription


@dataclass(frozen=True)
class Quote:
    coupon: Coupon | None
    subtotal_minor: int
    discount_minor: int
    currency: str

    @property
    def amount_minor(self) -> int:
        return self.subtotal_minor - self.discount_minor


def _refuse(reason: str, message: str) -> CouponRefused:
    return CouponRefused(message, fields={"coupon": [message]}, extra={"reason": reason})


def coupon_quote(
    *,
    code: str | None,
    user,
    purpose: str,
    currency: str,
    subtotal_minor: int,
    at: datetime,
    plan: Plan | None = None,
    lock: bool = False,
) -> Quote:
    """The price after the coupon, or CouponRefused (400) saying why: unknown, inactive, expired, not for this kind
    of payment or plan, no amount in this currency, all redemptions used, already used by you, or only for first
    subscriptions. With `lock`, the coupon row is locked (call inside a transaction) so that caps hold under
    concurrent checkouts."""
    if not code or not str(code).strip():
        return Quote(None, subtotal_minor, 0, currency)
    rows = Coupon.objects.filter(code=str(code).strip().upper()[:40])
    coupon = (rows.select_for_update() if lock else rows).first()
    if coupon is None:
        raise _refuse("unknown", "There is no such coupon code.")
    if not coupon.active:
        raise _refuse("inactive", "This coupon is no longer offered.")
    if coupon.expires_at is not None and coupon.expires_at <= at:
        raise _refuse("expired", f"This coupon expired on {coupon.expires_at:%Y-%m-%d}.")
    if purpose == Payment.Purpose.SUBSCRIPTION and not coupon.for_plans:
        raise _refuse("not_for_plans", "This coupon is for one-time purchases, not subscriptions.")
    if purpose == Payment.Purpose.PURCHASE and not coupon.for_purchases:
        raise _refuse("not_for_purchases", "This coupon is for subscriptions, not one-time purchases.")
    if plan is not None and coupon.plans.exists() and not coupon.plans.filter(pk=plan.pk).exists():
        names = ", ".join(coupon.plans.values_list("name", flat=True))
        raise _refuse("wrong_plan", f"This coupon is only for these plans: {names}.")
    discount = coupon_discount(coupon=coupon, subtotal_minor=subtotal_minor, currency=currency)
    if discount is None:
        raise _refuse("wrong_currency", f"This coupon has no amount in {currency}.")
    # A reservation holds one of a capped coupon's uses while its payment may still be paid; only a confirmed
    # payment uses up a person's own use, so an abandoned or failed attempt never costs them the coupon.
    held = CouponRedemption.objects.filter(coupon=coupon).filter(
        Q(status=CouponRedemption.Status.CONFIRMED)
        | Q(status=CouponRedemption.Status.RESERVED, payment__status=Payment.Status.PENDING, payment__expires_at__gt=at)
    )
    if coupon.max_redemptions is not None and held.count() >= coupon.max_redemptions:
        raise _refuse("used_up", "This coupon has been used as many times as it may be.")
    used_by_user = CouponRedemption.objects.filter(coupon=coupon, status=CouponRedemption.Status.CONFIRMED)
    if user is not None and used_by_user.filter(user=user).count() >= coupon.per_user_limit:
        raise _refuse("already_used", "You have already used this coupon.")
    if coupon.first_time_only and user is not None and has_subscribed(user=user):
        raise _refuse("first_time_only", "This coupon is only for a first subscription.")
    return Quote(coupon, subtotal_minor, discount, currency)


def coupon_discount(*, coupon: Coupon, subtotal_minor: int, currency: str) -> int | None:
    """What the coupon takes off `subtotal_minor`: a percentage rounded half up, or its fixed amount in `currency`
    (never more than the subtotal). None: a fixed coupon with no amount in this currency. Checks no other rule."""
    if coupon.kind == Coupon.Kind.PERCENT:
        return (subtotal_minor * coupon.percent_off + 50) // 100
    amount = coupon.amounts.filter(currency=currency).first()
    return None if amount is None else min(amount.amount_minor, subtotal_minor)


def has_subscribed(*, user) -> bool:
    """Ever paid for or trialled a subscription (staff grants do not count)."""
    return Subscription.objects.filter(user=user).exclude(provider=Provider.STAFF).filter(
        ~Q(status__in=[Subscription.Status.PENDING, Subscription.Status.EXPIRED])
    ).exists()


def coupon_reserve(*, quote: Quote, user, payment: Payment) -> None:
    if quote.coupon is not None:
        CouponRedemption.objects.create(coupon=quote.coupon, user=user, payment=payment)


def coupon_settle(*, payment: Payment, paid: bool) -> None:
    """Confirm the payment's redemption when it is paid, release it when it fails or expires."""
    status = CouponRedemption.Status.CONFIRMED if paid else CouponRedemption.Status.RELEASED
    CouponRedemption.objects.filter(payment=payment).update(status=status)


def coupon_payments_for(*, coupon: Coupon | None, interval: str) -> int | None:
    """How many discounted renewals follow the first payment: 0 for `once`, None (no limit) for `forever`, and for
    `N months` the payments that start within N months (N for monthly, ceil(N/12) for annual) less the first."""
    if coupon is None or coupon.duration == Coupon.Duration.ONCE:
        return 0
    if coupon.duration == Coupon.Duration.FOREVER:
        return None
    months = coupon.duration_months or 1
    payments = months if interval == "month" else -(-months // 12)
    return max(payments - 1, 0)
