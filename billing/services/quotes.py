"""What a checkout will cost, before anything is recorded: the order summary a viewer confirms before paying."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from billing import selectors as billing_selectors
from billing.errors import BillingInvalid
from billing.models import Payment
from billing.periods import INTERVALS, add_interval
from billing.providers.registry import PROVIDERS
from billing.services.coupons import coupon_payments_for, coupon_quote, has_subscribed


@dataclass(frozen=True)
class SubscriptionQuote:
    plan_name: str
    interval: str
    currency: str
    price_minor: int  # the plan's price per interval
    today_minor: int  # charged now (0 during a trial)
    trial_days: int  # 0: no trial for this person
    first_charge_minor: int  # the first charged payment, after the coupon
    first_charge_at: datetime  # when it falls due (the trial's end, or now)
    next_charge_minor: int  # the payment after that (the coupon's duration taken into account)
    next_charge_at: datetime
    discount_minor: int
    coupon_code: str
    renews_automatically: bool


def subscription_quote(
    *, user, plan_code: str, interval: str, territory: str, provider: str, coupon_code: str | None = None,
    at: datetime | None = None,
) -> SubscriptionQuote:
    """The order summary of checkout_subscription_start with the same arguments. Raises UnknownPlan, BillingInvalid,
    CouponRefused (saying why). Reserves nothing."""
    at = at or timezone.now()
    if interval not in INTERVALS:
        raise BillingInvalid(fields={"interval": ["Use month or year."]})
    plan = billing_selectors.plan_get(plan_code=plan_code)
    price = billing_selectors.plan_price_for(plan=plan, interval=interval, territory=territory)
    if price is None:
        raise BillingInvalid(fields={"interval": [f"{plan.name} has no {interval}ly price."]})
    quote = coupon_quote(code=coupon_code, user=user, purpose=Payment.Purpose.SUBSCRIPTION,
                                 currency=price.currency, subtotal_minor=price.amount_minor, at=at, plan=plan)
    trial_days = plan.trial_days if plan.trial_days > 0 and not has_subscribed(user=user) else 0
    first_at = at + timedelta(days=trial_days)
    following = coupon_payments_for(coupon=quote.coupon, interval=interval)
    next_discounted = quote.coupon is not None and (following is None or following > 0)
    return SubscriptionQuote(
        plan_name=plan.name,
        interval=interval,
        currency=price.currency,
        price_minor=price.amount_minor,
        today_minor=0 if trial_days else quote.amount_minor,
        trial_days=trial_days,
        first_charge_minor=quote.amount_minor,
        first_charge_at=first_at,
        next_charge_minor=quote.amount_minor if next_discounted else price.amount_minor,
        next_charge_at=add_interval(first_at, interval),
        discount_minor=quote.discount_minor,
        coupon_code=quote.coupon.code if quote.coupon else "",
        # a card renews by itself; wallets, BSP and transfers are paid again by the viewer
        renews_automatically=provider in PROVIDERS and PROVIDERS[provider].renews_itself,
    )
