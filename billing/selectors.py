"""Reads for billing: plan limits, live subscriptions, entitlements, payments and revenue over the ledger."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from billing._queries import live_entitlements_q, subscription_access_q
from billing.errors import PaymentNotFound, UnknownPlan
from billing.models import (
    OPEN_STATUSES,
    Entitlement,
    ExchangeRate,
    LedgerEntry,
    Payment,
    Plan,
    PlanPrice,
    Subscription,
    WatchTime,
)
from billing.providers.registry import PROVIDERS, WALLET_CODES, ProviderInfo
from billing.revenue import revenue_rows
from core.money import Money
from rights.selectors import DEFAULT_CURRENCY, currency_for_territory


@dataclass(frozen=True)
class PlanLimits:
    plan_code: str | None
    streams: int
    devices: int
    top_height: int


def subscription_active_for(*, user, at: datetime | None = None) -> Subscription | None:
    """The live subscription (trial, active, or in its grace period) or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    at = at or timezone.now()
    return (
        Subscription.objects.filter(subscription_access_q(at=at), user=user)
        .select_related("plan")
        .order_by("-current_period_end")
        .first()
    )


def plan_limits_for(*, user) -> PlanLimits:
    subscription = subscription_active_for(user=user)
    if subscription is None:
        return PlanLimits(
            plan_code=None,
            streams=settings.BILLING_DEFAULT_STREAMS,
            devices=settings.ACCOUNTS_DEFAULT_DEVICE_LIMIT,
            top_height=settings.BILLING_DEFAULT_TOP_HEIGHT,
        )
    plan = subscription.plan
    return PlanLimits(plan_code=plan.code, streams=plan.streams, devices=plan.devices, top_height=plan.top_height)


def device_limit_for_plan(*, user) -> int:
    """ACCOUNTS_DEVICE_LIMIT_RESOLVER: the plan's device limit, or the accounts default without a subscription."""
    return plan_limits_for(user=user).devices


def plans_offered() -> QuerySet[Plan]:
    return Plan.objects.filter(active=True).prefetch_related("prices").order_by("sort_order", "id")


def plan_get(*, plan_code: str, active_only: bool = True) -> Plan:
    """The plan by its code; UnknownPlan (400, on the field `plan`) if there is none or it is no longer offered."""
    plan = Plan.objects.filter(code=plan_code).first()
    if plan is None or (active_only and not plan.active):
        raise UnknownPlan(f"No plan {str(plan_code)[:30]!r}.", fields={"plan": ["No such plan."]})
    return plan


def plan_price(*, plan: Plan, interval: str, currency: str) -> PlanPrice | None:
    return PlanPrice.objects.filter(plan=plan, interval=interval, currency=currency).first()


def plan_price_for(*, plan: Plan, interval: str, territory: str | None) -> PlanPrice | None:
    """The price a territory pays for a plan: in the territory's currency, else in rights' DEFAULT_CURRENCY (USD);
    None if the plan has neither for this interval. `territory` None: the default currency's price. The one place
    this fallback is decided (checkout, quotes, coupon previews, staff grants and the site's plan list use it)."""
    currency = currency_for_territory(territory=territory) if territory else DEFAULT_CURRENCY
    prices = {price.currency: price for price in _prices_of(plan, interval)}
    return prices.get(currency) or prices.get(DEFAULT_CURRENCY)


def _prices_of(plan: Plan, interval: str) -> list[PlanPrice]:
    """The plan's prices for `interval`, from the prefetch cache when plans_offered() filled it (no query)."""
    cache = getattr(plan, "_prefetched_objects_cache", {})
    if "prices" in cache:
        return [price for price in cache["prices"] if price.interval == interval]
    return list(PlanPrice.objects.filter(plan=plan, interval=interval))


def provider_info(*, code: str) -> ProviderInfo | None:
    """What a payment rail is (billing.providers.registry: label, kind, currencies, refunds, renewals); None for an
    unknown code. For other apps' pages; WALLET_CODES lists the rails that prompt a phone."""
    return PROVIDERS.get(code)


WALLETS = WALLET_CODES


def subscriptions_of(*, user) -> QuerySet[Subscription]:
    return Subscription.objects.filter(user=user).select_related("plan").order_by("-created_at", "-id")


def subscription_get(*, subscription_id: int) -> Subscription | None:
    return Subscription.objects.filter(pk=subscription_id).select_related("plan").first()


def windows_entitled_for(*, user, window_ids: list[int], svod_window_ids: list[int], at: datetime) -> set[int]:
    """Of these windows, the ones `user` holds: SVOD ones through a live subscription, the others through a live
    rental, purchase, ticket, festival pass or collector copy. Two queries at most."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    held = set(
        Entitlement.objects.filter(live_entitlements_q(at=at), user=user, window_id__in=window_ids).values_list(
            "window_id", flat=True
        )
    ) if window_ids else set()
    if svod_window_ids and subscription_active_for(user=user, at=at) is not None:
        held |= set(svod_window_ids)
    return held


def entitlements_of(*, user, at: datetime | None = None, live_only: bool = True) -> QuerySet[Entitlement]:
    at = at or timezone.now()
    rows = Entitlement.objects.filter(user=user).exclude(kind=Entitlement.Kind.SUBSCRIPTION)
    if live_only:
        rows = rows.filter(live_entitlements_q(at=at))
    return rows.order_by("-granted_at", "-id")


def rental_for(*, user, window_id: int) -> Entitlement | None:
    """The user's most recent rental through this window (started or not), or None."""
    return (
        Entitlement.objects.filter(user=user, window_id=window_id, kind=Entitlement.Kind.RENTAL, revoked_at=None)
        .order_by("-granted_at")
        .first()
    )


def payment_get_for(*, payment_id: int, user) -> Payment:
    """A payment by its id if `user` made it (or is staff); PaymentNotFound otherwise (never saying which)."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or not (user.is_staff or payment.user_id == user.pk):
        raise PaymentNotFound()
    return payment


def payment_for(*, public_id, user) -> Payment | None:
    """A payment by its public id, if `user` made it (or is staff)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    rows = Payment.objects.filter(public_id=public_id)
    if not user.is_staff:
        rows = rows.filter(user=user)
    return rows.select_related("plan", "film").first()


def payment_status(*, payment: Payment) -> dict:
    """What a waiting page polls: status, what to do next, and whether access was granted."""
    return {
        "id": payment.pk,
        "public_id": str(payment.public_id),
        "reference": payment.reference,
        "status": payment.status,
        "provider": payment.provider,
        "next_action": payment.next_action,
        "redirect_url": payment.redirect_url or None,
        "amount_minor": payment.amount_minor,
        "currency": payment.currency,
        "expires_at": payment.expires_at,
        "paid_at": payment.paid_at,
        "failure_reason": payment.failure_reason,
        "granted": payment.status == Payment.Status.PAID,
        "film_id": payment.film_id,
        "window_id": payment.window_id,
        "subscription_id": payment.subscription_id,
    }


def payment_page_path(*, payment: Payment) -> str:
    """The path of the payment's one waiting page, served by the site (settings.BILLING_PAYMENT_PAGE names it):
    where a provider sends the payer back by default and where the sandbox's hosted page leads."""
    return reverse(settings.BILLING_PAYMENT_PAGE, kwargs={"public_id": payment.public_id})


def bank_transfer_instructions(*, payment: Payment) -> str:
    """What the payer of a bank or USSD transfer does, in the active language: the amount (in the currency's own
    minor units), the account and the reference to quote. The one text the API, billing's page and the site show."""
    return gettext(
        "Transfer %(amount)s to %(account)s (by internet banking or *131#) quoting the reference %(reference)s."
    ) % {
        "amount": Money(payment.amount_minor, payment.currency).format(),
        "account": settings.BILLING_BANK_ACCOUNT,
        "reference": payment.reference,
    }


def payments_of(*, user=None) -> QuerySet[Payment]:
    rows = Payment.objects.select_related("plan", "film", "coupon")
    if user is not None:
        rows = rows.filter(user=user)
    return rows.order_by("-created_at", "-id")


def watch_time_of(*, period) -> dict[int, int]:
    """Subscribers' watch seconds per film in the month containing `period`: what that month's SVOD pool is split by."""
    rows = WatchTime.objects.filter(period=period.replace(day=1), seconds__gt=0).values_list("film_id", "seconds")
    return dict(rows)


def revenue(**filters) -> list[dict]:
    """Revenue over the ledger by film, model, currency and month; see billing.revenue.revenue_rows for filters
    (creator_id, film_id, currency, model, since, until, group_by)."""
    return revenue_rows(**filters)


def revenue_for_creator(*, user, **filters) -> list[dict]:
    """What a creator earned, by film, model, currency and month (their ledger account; refunds netted)."""
    return revenue_rows(creator_id=user.pk, **filters)


def ledger_unbalanced() -> list[tuple[int, str, int]]:
    """(transaction id, currency, sum) of every ledger transaction whose entries do not sum to zero in a currency;
    an empty list when the ledger balances (one GROUP BY over the entries)."""


    rows = (
        LedgerEntry.objects.values("transaction_id", "currency")
        .annotate(total=Sum("amount_minor"))
        .exclude(total=0)
        .values_list("transaction_id", "currency", "total")
    )
    return list(rows)


def account_balances(*, code: str) -> dict[str, int]:
    """{currency: sum of its entries} of one ledger account (debit positive, credit negative); a currency summing to
    zero is left out, and an account never posted to is {}. One GROUP BY."""
    rows = LedgerEntry.objects.filter(account__code=code).values("currency").annotate(total=Sum("amount_minor"))
    return {row["currency"]: row["total"] for row in rows.order_by("currency") if row["total"]}


def account_balances_by_prefix(*, prefix: str) -> dict[str, dict[str, int]]:
    """{account code: {currency: sum}} of every account whose code starts with `prefix` ("payee:"), as
    account_balances reads one. One GROUP BY."""
    rows = (
        LedgerEntry.objects.filter(account__code__startswith=prefix)
        .values("account__code", "currency")
        .annotate(total=Sum("amount_minor"))
        .order_by("account__code", "currency")
    )
    balances: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["total"]:
            balances.setdefault(row["account__code"], {})[row["currency"]] = row["total"]
    return balances


# --- The admin console's figures (issue 12): each one query, over indexed columns or small tables ------------------


def subscriptions_live_summary() -> list[dict]:
    """Live subscriptions (trialing, active, past due) by plan, currency, interval and status, with their count and
    the sum of their price per interval. One GROUP BY."""

    return list(
        Subscription.objects.filter(status__in=OPEN_STATUSES)
        .values("plan__code", "plan__name", "currency", "interval", "status")
        .annotate(count=Count("id"), amount_minor=Sum("amount_minor"))
        .order_by("plan__code", "currency", "interval", "status")
    )


def mrr_by_currency(*, summary: list[dict]) -> dict[str, int]:
    """Monthly recurring revenue per currency from subscriptions_live_summary: active and past-due subscriptions
    (trials pay nothing yet); an annual price counts a twelfth, rounded half up, per group."""
    mrr: dict[str, int] = {}
    for row in summary:
        if row["status"] == Subscription.Status.TRIALING:
            continue
        amount = row["amount_minor"] if row["interval"] == "month" else (row["amount_minor"] * 2 + 12) // 24
        mrr[row["currency"]] = mrr.get(row["currency"], 0) + amount
    return mrr


def revenue_months(*, now: datetime) -> dict[str, dict[str, int]]:
    """Paid in this calendar month and the last (UTC), per currency: {"this": {cur: minor}, "last": {...}}.
    Payments refunded since are left out (they are `refunded`, not `paid`). One query."""

    this_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_start = (this_start - timedelta(days=1)).replace(day=1)
    rows = (
        Payment.objects.filter(status=Payment.Status.PAID, paid_at__gte=last_start, paid_at__lte=now)
        .values("currency")
        .annotate(this=Sum("amount_minor", filter=Q(paid_at__gte=this_start)),
                  last=Sum("amount_minor", filter=Q(paid_at__lt=this_start)))
    )
    out: dict[str, dict[str, int]] = {"this": {}, "last": {}}
    for row in rows:
        for key in ("this", "last"):
            if row[key]:
                out[key][row["currency"]] = row[key]
    return out


def paid_per_day(*, since: datetime, until: datetime) -> dict:
    """{(day, currency): minor units paid} for since <= paid_at < until (one query)."""

    rows = (
        Payment.objects.filter(status=Payment.Status.PAID, paid_at__gte=since, paid_at__lt=until)
        .annotate(day=TruncDate("paid_at"))
        .values("day", "currency")
        .annotate(total=Sum("amount_minor"))
        .values_list("day", "currency", "total")
    )
    return {(day, currency): total for day, currency, total in rows}


def exchange_rates_on(*, day) -> dict:
    """{currency: Decimal rate} in force on `day` (the latest valid_from on or before it), plus the reporting
    currency at 1. One query."""


    rates = {}
    for currency, rate in ExchangeRate.objects.filter(valid_from__lte=day).order_by("currency", "valid_from") \
            .values_list("currency", "rate"):
        rates[currency] = rate  # ascending: the last one seen is in force
    rates[settings.BILLING_REPORTING_CURRENCY] = Decimal(1)
    return rates


def to_reporting(*, amounts: dict[str, int], rates: dict) -> tuple[int, list[str]]:
    """Sum amounts given per currency in the reporting currency's minor units (each converted amount rounded half
    up; every currency here has two decimals). Returns the total and the currencies left out for want of a rate."""

    total, missing = 0, []
    for currency, amount in sorted(amounts.items()):
        if currency not in rates:
            missing.append(currency)
            continue
        total += int((rates[currency] * amount).quantize(1, rounding=ROUND_HALF_UP))
    return total, missing


def bank_transfers_to_reconcile() -> QuerySet[Payment]:
    """Bank or USSD transfers waiting for staff to match the money (Payments > Reconcile), oldest first."""
    return Payment.objects.filter(provider="bank", status=Payment.Status.PENDING).select_related("user") \
        .order_by("created_at", "id")


def payments_pending_past_ttl(*, now: datetime) -> QuerySet[Payment]:
    """Pending payments whose time-to-live has passed: the beat sweep (billing.payments_expire) should have
    expired them, so a row here means it is not running. Bank transfers are listed for reconciliation instead."""
    return Payment.objects.filter(status=Payment.Status.PENDING, expires_at__lt=now).exclude(provider="bank") \
        .select_related("user").order_by("expires_at", "id")


def user_data_export(*, user) -> dict:
    """A person's billing records for a data-export download: subscriptions, payments, entitlements."""
    return {
        "subscriptions": list(Subscription.objects.filter(user=user).order_by("id").values(
            "id", "plan__code", "interval", "currency", "amount_minor", "provider", "status", "current_period_start",
            "current_period_end", "ended_at", "grant_reason", "created_at")),
        "payments": list(Payment.objects.filter(user=user).order_by("id").values(
            "id", "reference", "purpose", "provider", "status", "currency", "subtotal_minor", "discount_minor",
            "amount_minor", "film_id", "window_type", "phone", "created_at", "paid_at", "refunded_at")),
        "entitlements": list(Entitlement.objects.filter(user=user).order_by("id").values(
            "id", "kind", "film_id", "window_id", "granted_at", "started_at", "ends_at", "revoked_at", "reason")),
    }
