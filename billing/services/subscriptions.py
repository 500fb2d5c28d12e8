"""Subscriptions: staff grants, activation and renewal by payments, cancel at period end, reactivate, grace and
lapse. Every status change goes through `_state.subscription_transition`."""

import calendar
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing.errors import BillingInvalid, BillingPermissionDenied, InvalidTransition, UnknownPlan
from billing.models import LIVE_SUBSCRIPTION, Entitlement, Plan, PlanPrice, Provider, Subscription
from billing.services._state import subscription_transition

S = Subscription.Status


def add_interval(moment: datetime, interval: str, count: int = 1) -> datetime:
    """The same day `count` months (or years) later, clamped to the month's last day (Jan 31 -> Feb 28)."""
    months = count * (12 if interval == "year" else 1)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def plan_get(*, plan_code: str, active_only: bool = True) -> Plan:
    plan = Plan.objects.filter(code=plan_code).first()
    if plan is None or (active_only and not plan.active):
        raise UnknownPlan(f"No plan {str(plan_code)[:30]!r}.", fields={"plan": ["No such plan."]})
    return plan


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


def _end_live_subscriptions(*, user, at: datetime) -> None:
    for live in Subscription.objects.select_for_update().filter(user=user, status__in=LIVE_SUBSCRIPTION):
        subscription_transition(subscription=live, to=S.CANCELED, ended_at=at)


def subscription_grant(*, user, plan_code: str, interval: str = "month", by, reason: str) -> Subscription:
    """Staff grant of an active subscription for one interval from now (no payment, nothing in the ledger). A live
    subscription the person already has ends now: the grant replaces it."""
    if by is None or not getattr(by, "is_staff", False):
        raise BillingPermissionDenied("Only staff may grant a subscription.")
    if not (reason or "").strip():
        raise BillingInvalid(fields={"reason": ["Say why the subscription is granted."]})
    if interval not in ("month", "year"):
        raise BillingInvalid(fields={"interval": ["Use month or year."]})
    plan = plan_get(plan_code=plan_code, active_only=False)
    price = PlanPrice.objects.filter(plan=plan, interval=interval, currency="USD").first()
    at = timezone.now()
    with transaction.atomic():
        _end_live_subscriptions(user=user, at=at)
        subscription = Subscription.objects.create(
            user=user,
            plan=plan,
            interval=interval,
            currency="USD",
            amount_minor=price.amount_minor if price else 0,
            provider=Provider.STAFF,
            status=S.ACTIVE,
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
                                                                 status__in=LIVE_SUBSCRIPTION)
        for other in others.exclude(pk=subscription.pk):
            subscription_transition(subscription=other, to=S.CANCELED, ended_at=at)
        subscription_transition(
            subscription=subscription,
            to=S.TRIALING if trial else S.ACTIVE,
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
        if subscription.status == S.PAST_DUE:
            return subscription_transition(subscription=subscription, to=S.ACTIVE, grace_until=None)
        return subscription
    if subscription.status not in LIVE_SUBSCRIPTION:
        return subscription  # ended or lapsed: a late renewal does not revive it (the payment is refunded by staff)
    if subscription.coupon_payments_left:
        subscription.coupon_payments_left -= 1
    return subscription_transition(
        subscription=subscription,
        to=S.ACTIVE,
        current_period_start=period_start,
        current_period_end=period_end,
        grace_until=None,
    )


def subscription_renewal_failed(*, subscription: Subscription, at: datetime) -> Subscription:
    """A renewal could not be charged: the grace period begins (access continues until it ends)."""
    if subscription.status == S.PAST_DUE or subscription.status not in LIVE_SUBSCRIPTION:
        return subscription
    return subscription_transition(
        subscription=subscription,
        to=S.PAST_DUE,
        grace_until=max(at, subscription.current_period_end or at) + timedelta(days=settings.BILLING_GRACE_DAYS),
    )


def _own_or_staff(*, subscription: Subscription, by) -> None:
    if by is None or not (by.is_staff or by.pk == subscription.user_id):
        raise BillingPermissionDenied("Only the subscriber or staff may change this subscription.")


def subscription_cancel(*, subscription: Subscription, by) -> Subscription:
    """Cancel at the end of the paid period: access continues until then, no renewal is taken."""
    _own_or_staff(subscription=subscription, by=by)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.status not in LIVE_SUBSCRIPTION:
            raise InvalidTransition("This subscription has already ended.")
        from billing.services.stripe_checkout import stripe_subscription_set_cancel

        stripe_subscription_set_cancel(subscription=subscription, cancel_at_period_end=True)
        subscription.cancel_at_period_end = True
        subscription.save(update_fields=["cancel_at_period_end", "updated_at"])
    return subscription


def subscription_reactivate(*, subscription: Subscription, by) -> Subscription:
    """Undo a cancel before the period ends."""
    _own_or_staff(subscription=subscription, by=by)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.status not in LIVE_SUBSCRIPTION:
            raise InvalidTransition("This subscription has ended; start a new one.")
        from billing.services.stripe_checkout import stripe_subscription_set_cancel

        stripe_subscription_set_cancel(subscription=subscription, cancel_at_period_end=False)
        subscription.cancel_at_period_end = False
        subscription.save(update_fields=["cancel_at_period_end", "updated_at"])
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
            status__in=LIVE_SUBSCRIPTION, cancel_at_period_end=True, current_period_end__lte=at
        ):
            subscription_transition(subscription=sub, to=S.CANCELED, ended_at=sub.current_period_end)
            counts["ended"] += 1
        for sub in Subscription.objects.select_for_update(skip_locked=True).filter(
            status=S.PAST_DUE, grace_until__lte=at
        ):
            subscription_transition(subscription=sub, to=S.LAPSED, ended_at=sub.grace_until)
            counts["lapsed"] += 1
        for sub in Subscription.objects.select_for_update(skip_locked=True).filter(
            status__in=[S.ACTIVE, S.TRIALING], current_period_end__lte=at, cancel_at_period_end=False
        ).exclude(provider=Provider.STRIPE):
            if sub.provider == Provider.STAFF:
                subscription_transition(subscription=sub, to=S.CANCELED, ended_at=sub.current_period_end)
                counts["ended"] += 1
            else:
                subscription_renewal_failed(subscription=sub, at=sub.current_period_end)
                counts["grace"] += 1
    return counts
