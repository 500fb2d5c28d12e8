"""Subscriptions in the database (no provider calls): staff grants, activation and renewal by payments, grace and
lapse. Every status change goes through `_state.subscription_transition`. Changes a subscriber asks for (cancel,
reactivate, a coupon) may call Stripe: billing.services.subscription_changes."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing import selectors as billing_selectors
from billing.errors import BillingInvalid, BillingPermissionDenied
from billing.models import OPEN_STATUSES, Entitlement, Provider, Subscription
from billing.periods import INTERVALS, add_interval
from billing.services._state import subscription_transition
from billing.services.notices import renewal_failed_notify
from rights.selectors import DEFAULT_CURRENCY

Status = Subscription.Status


def _subscription_entitlement(*, subscription: Subscription, at: datetime, payment=None, by=None, reason="") -> None:
    Entitlement.objects.get_or_create(
        subscription=subscription,
        kind=Entitlement.Kind.SUBSCRIPTION,
        defaults={
            "user_id": subscription.user_id,
            "granted_at": at,
            "payment": payment,
            "granted_by": by,
            "reason": reason[:200],
        },
    )


def _end_open_subscriptions(*, user, at: datetime) -> None:
    for live in Subscription.objects.select_for_update().filter(user=user, status__in=OPEN_STATUSES):
        subscription_transition(subscription=live, to=Status.CANCELED, ended_at=at)


def subscription_grant(*, user, plan_code: str, interval: str = "month", by, reason: str) -> Subscription:
    """Staff grant of an active subscription for one interval from now (no payment, nothing in the ledger). A live
    subscription the person already has ends now: the grant replaces it."""
    if by is None or not getattr(by, "is_staff", False):
        raise BillingPermissionDenied("Only staff may grant a subscription.")
    if not (reason or "").strip():
        raise BillingInvalid(fields={"reason": ["Say why the subscription is granted."]})
    if interval not in INTERVALS:
        raise BillingInvalid(fields={"interval": ["Use month or year."]})
    plan = billing_selectors.plan_get(plan_code=plan_code, active_only=False)
    price = billing_selectors.plan_price_for(plan=plan, interval=interval, territory=None)  # staff grant in USD
    at = timezone.now()
    with transaction.atomic():
        _end_open_subscriptions(user=user, at=at)
        subscription = Subscription.objects.create(
            user=user,
            plan=plan,
            interval=interval,
            currency=DEFAULT_CURRENCY,
            amount_minor=price.amount_minor if price else 0,
            provider=Provider.STAFF,
            status=Status.ACTIVE,
            current_period_start=at,
            current_period_end=add_interval(at, interval),
            granted_by=by,
            grant_reason=reason[:200],
        )
        _subscription_entitlement(subscription=subscription, at=at, by=by, reason=reason)
    return subscription


def subscription_activate(*, subscription: Subscription, at: datetime, period_end: datetime | None, payment=None,
                          trial: bool = False) -> Subscription:
    """A pending subscription starts (first payment confirmed, or a trial). Call with the row locked. A person
    who meanwhile got another live subscription keeps the newer one: this one ends (and its payment stands)."""
    period_end = period_end or add_interval(at, subscription.interval)
    with transaction.atomic():
        others = Subscription.objects.select_for_update().filter(user_id=subscription.user_id,
                                                                 status__in=OPEN_STATUSES)
        for other in others.exclude(pk=subscription.pk):
            subscription_transition(subscription=other, to=Status.CANCELED, ended_at=at)
        subscription_transition(
            subscription=subscription,
            to=Status.TRIALING if trial else Status.ACTIVE,
            current_period_start=at,
            current_period_end=period_end,
            trial_ends_at=period_end if trial else None,
            grace_until=None,
        )
        _subscription_entitlement(subscription=subscription, at=at, payment=payment)
    return subscription


def subscription_renewed(*, subscription: Subscription, period_start: datetime, period_end: datetime) -> Subscription:
    """A renewal was paid: the period moves on, grace ends. Call with the row locked. A renewal that arrives for a
    period already covered (a replayed or out-of-order event) changes nothing."""
    if subscription.current_period_end and period_end <= subscription.current_period_end:
        if subscription.status == Status.PAST_DUE:
            return subscription_transition(subscription=subscription, to=Status.ACTIVE, grace_until=None)
        return subscription
    if subscription.status not in OPEN_STATUSES:
        return subscription  # ended or lapsed: a late renewal does not revive it (the payment is refunded by staff)
    if subscription.coupon_payments_left:
        subscription.coupon_payments_left -= 1
    return subscription_transition(
        subscription=subscription,
        to=Status.ACTIVE,
        current_period_start=period_start,
        current_period_end=period_end,
        grace_until=None,
    )


def subscription_renewal_failed(*, subscription: Subscription, at: datetime) -> Subscription:
    """A renewal could not be charged: the grace period begins (access continues until it ends)."""
    if subscription.status == Status.PAST_DUE or subscription.status not in OPEN_STATUSES:
        return subscription
    subscription = subscription_transition(
        subscription=subscription,
        to=Status.PAST_DUE,
        grace_until=max(at, subscription.current_period_end or at) + timedelta(days=settings.BILLING_GRACE_DAYS),
    )
    renewal_failed_notify(subscription=subscription)
    return subscription


def subscriptions_sweep(*, at: datetime | None = None) -> dict[str, int]:
    """Beat task body: end subscriptions cancelled at period end whose period is over, lapse those whose grace ran
    out, and put local-rail subscriptions whose period ended unpaid into grace (PNG rails do not auto-renew: the
    viewer pays the next period from the site). Stripe's own subscriptions move by Stripe's webhooks, except that
    an unpaid grace still lapses here."""
    at = at or timezone.now()
    counts = {"ended": 0, "lapsed": 0, "grace": 0}
    with transaction.atomic():
        for sub in Subscription.objects.select_for_update(skip_locked=True).filter(
            status__in=OPEN_STATUSES, cancel_at_period_end=True, current_period_end__lte=at
        ):
            subscription_transition(subscription=sub, to=Status.CANCELED, ended_at=sub.current_period_end)
            counts["ended"] += 1
        for sub in Subscription.objects.select_for_update(skip_locked=True).filter(
            status=Status.PAST_DUE, grace_until__lte=at
        ):
            subscription_transition(subscription=sub, to=Status.LAPSED, ended_at=sub.grace_until)
            counts["lapsed"] += 1
        for sub in Subscription.objects.select_for_update(skip_locked=True).filter(
            status__in=[Status.ACTIVE, Status.TRIALING], current_period_end__lte=at, cancel_at_period_end=False
        ).exclude(provider=Provider.STRIPE):
            if sub.provider == Provider.STAFF:
                subscription_transition(subscription=sub, to=Status.CANCELED, ended_at=sub.current_period_end)
                counts["ended"] += 1
            else:
                subscription_renewal_failed(subscription=sub, at=sub.current_period_end)
                counts["grace"] += 1
    return counts
