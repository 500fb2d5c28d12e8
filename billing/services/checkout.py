"""Checkout flows: start a subscription, a one-time purchase or a renewal with a provider. Each is Zulip's shape:
check (nothing written on a refusal) -> create the pending payment under one transaction -> hand it to its
provider (`_hand_off`). What happens to the payment afterwards is billing.services.payments."""

import contextlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing import selectors as billing_selectors
from billing.errors import (
    AlreadyEntitled,
    AlreadySubscribed,
    BillingInvalid,
    NotForSale,
    ProviderUnavailable,
    SoldOut,
    WrongCurrency,
)
from billing.models import OPEN_STATUSES, Coupon, CouponRedemption, Payment, Plan, PlanPrice, Provider, Subscription
from billing.periods import INTERVALS, add_interval
from billing.providers import provider_for
from billing.providers.registry import CHECKOUT_CODES, provider_info
from billing.services.coupons import (
    Quote,
    coupon_discount,
    coupon_payments_for,
    coupon_quote,
    coupon_reserve,
    has_subscribed,
)
from billing.services.grants import collector_copies_left, collector_lock, kind_for_window, window_held
from billing.services.payments import (
    payment_abandon,
    payment_confirm,
    payment_expiry,
    payment_fail,
    payment_return_url,
    payment_simulated_answer_schedule,
)
from billing.services.stripe_gateway import stripe_session_start
from catalog import selectors as catalog_selectors
from rights import selectors as rights_selectors


@dataclass(frozen=True)
class CheckoutRequest:
    """How the payer pays, the part every checkout shares: the rail, the viewer's territory (it sets the currency),
    the currency they expect (checked, never converted), a coupon code, the wallet's phone, where to come back."""

    provider: str
    territory: str
    currency: str | None = None
    coupon_code: str | None = None
    phone: str = ""
    return_url: str = ""



def _checkout_request(checkout: CheckoutRequest | None, terms: dict) -> CheckoutRequest:
    """The `*_start` functions take a CheckoutRequest, or its fields as keywords (the older call, which tests and
    scripts use): one or the other. A missing or unknown field is a TypeError, as a wrong keyword always was."""
    if checkout is None:
        return CheckoutRequest(**terms)
    if terms:
        raise TypeError(f"Give checkout= or its fields, not both: {', '.join(sorted(terms))}.")
    return checkout


def _territory(request: CheckoutRequest) -> str | None:
    """The territory recorded on the payment (ISO 3166 alpha-2, upper-case), or None for anything else."""
    territory = (request.territory or "").strip().upper()
    return territory if len(territory) == 2 and territory.isalpha() else None


# --- checks (nothing is written) -------------------------------------------------------------------------------------


def _provider_check(provider: str) -> None:
    enabled = settings.BILLING_PROVIDERS_ENABLED
    if provider not in CHECKOUT_CODES or provider not in enabled:
        offered = ", ".join(code for code in CHECKOUT_CODES if code in enabled)
        raise ProviderUnavailable(
            f"Unknown or disabled payment method {str(provider)[:20]!r}; use one of: {offered}.",
            fields={"provider": [f"Use one of: {offered}."]},
        )


def _currency_check(*, given: str | None, expected: str) -> None:
    if given and given.upper() != expected:
        raise WrongCurrency(
            f"In your territory this is charged in {expected}, not {str(given)[:3]}.",
            fields={"currency": [f"Use {expected}."]},
        )


def _rail_check(*, provider: str, currency: str, amount_minor: int) -> None:
    """A rail takes only its currencies (PNG rails: kina) and may have a minimum (BSP Pay: K1); a free, fully
    discounted payment needs no rail."""
    info = provider_info(provider)
    if info.currencies and currency not in info.currencies:
        raise ProviderUnavailable(
            f"This payment method takes kina (PGK) only; in your territory the price is in {currency}: pay by card.",
            fields={"provider": ["Use stripe (card) outside Papua New Guinea."]},
        )
    if 0 < amount_minor < info.min_amount_minor:
        raise ProviderUnavailable(
            f"{info.label} takes K{info.min_amount_minor // 100}.00 at least.",
            fields={"provider": [f"Below {info.label}'s K{info.min_amount_minor // 100} minimum."]},
        )


def _plan_price_check(*, plan: Plan, interval: str, territory: str) -> PlanPrice:
    price = billing_selectors.plan_price_for(plan=plan, interval=interval, territory=territory)
    if price is None:
        raise BillingInvalid(fields={"interval": [f"{plan.name} has no {interval}ly price."]})
    return price


def _offer_check(*, window, territory: str, at: datetime, user) -> dict:
    """The window's offer with a price in `territory` now; NotForSale otherwise."""
    answer = rights_selectors.availability_for(film_id=window.film_id, territory=territory, at=at, user=user)
    offer = next((o for o in answer["offers"] if o["window_id"] == window.pk and o["price"]), None)
    if offer is None:
        raise NotForSale(f"This window is not on sale in {territory} now.")
    return offer


def _window_check(window_id: int | None):
    window = rights_selectors.window_get(window_id=window_id)
    if window is None:
        raise BillingInvalid(fields={"window_id": ["No such window."]})
    return window


# --- the hand-off ----------------------------------------------------------------------------------------------------


def _hand_off(*, payment: Payment, return_url: str) -> Payment:
    """Hand a new pending payment to its provider (Stripe's Checkout Session, or the rail's adapter) and schedule a
    simulated rail's answer. A provider that fails or refuses leaves the payment failed (nothing charged, nothing
    granted: payment_abandon) and the error propagates. A zero amount off Stripe is paid at once (Stripe starts a
    trial's subscription itself)."""
    payment.return_url = payment_return_url(payment=payment, given=return_url)
    stripe = payment.provider == Provider.STRIPE
    if not stripe and payment.amount_minor == 0:
        payment.save(update_fields=["return_url"])
        return payment_confirm(
            payment_id=payment.pk, amount_minor=0, currency=payment.currency, fee_minor=0, at=timezone.now()
        )
    try:
        # Stripe outside a transaction: the customer dj-stripe creates on the way is kept even if the session fails.
        with contextlib.nullcontext() if stripe else transaction.atomic():
            started = stripe_session_start(payment=payment) if stripe else provider_for(payment.provider).initiate(
                payment=payment
            )
            Payment.objects.filter(pk=payment.pk).update(
                provider_ref=started.provider_ref,
                next_action=started.next_action,
                redirect_url=started.redirect_url,
                return_url=payment.return_url,
            )
            payment_simulated_answer_schedule(payment_id=payment.pk, outcome=started.simulated_outcome)
    except Exception as exc:
        payment_abandon(payment_id=payment.pk, reason=str(exc))
        raise
    payment.refresh_from_db()
    return payment


def _supersede_pending(*, user, coupon: Coupon | None, keep: Payment) -> None:
    """A person's own use of a coupon is counted when a payment is confirmed, so a new checkout with it is allowed
    while an earlier one waits; the earlier attempt is then given up (expired: nothing granted, coupon released; a
    confirmation that still arrives for it stands, as for any late payment)."""
    if coupon is None:
        return
    earlier = CouponRedemption.objects.filter(
        coupon=coupon, user=user, status=CouponRedemption.Status.RESERVED, payment__status=Payment.Status.PENDING,
    ).exclude(payment=keep).values_list("payment_id", flat=True)
    for payment_id in list(earlier):
        payment_fail(payment_id=payment_id, reason="Replaced by a newer checkout.", expired=True)


# --- the flows -------------------------------------------------------------------------------------------------------


def checkout_subscription_start(
    *,
    user,
    plan_code: str,
    interval: str = "month",
    checkout: CheckoutRequest | None = None,
    **terms,
) -> Payment:
    """Start a subscription: a pending Subscription and its first Payment, handed to the provider. Returns the
    payment (status, next_action, redirect_url). A first-time subscriber to a plan with trial days starts a trial at
    once (a paid zero payment; the first charge comes at the trial's end). Raises UnknownPlan, WrongCurrency,
    CouponRefused, AlreadySubscribed, ProviderUnavailable, ProviderError: nothing is recorded on a refusal.
    `checkout` says how the payer pays; CheckoutRequest's fields as keywords instead are still taken."""
    request = _checkout_request(checkout, terms)
    plan, price = _subscription_check(user=user, plan_code=plan_code, interval=interval, request=request)
    trial = plan.trial_days > 0 and not has_subscribed(user=user)
    payment = _subscription_create(user=user, plan=plan, price=price, trial=trial, request=request)
    _supersede_pending(user=user, coupon=payment.coupon, keep=payment)
    return _hand_off(payment=payment, return_url=request.return_url)


def _subscription_check(*, user, plan_code: str, interval: str, request: CheckoutRequest) -> tuple[Plan, PlanPrice]:
    _provider_check(request.provider)
    if interval not in INTERVALS:
        raise BillingInvalid(fields={"interval": ["Use month or year."]})
    plan = billing_selectors.plan_get(plan_code=plan_code)
    price = _plan_price_check(plan=plan, interval=interval, territory=request.territory)
    _currency_check(given=request.currency, expected=price.currency)
    if Subscription.objects.filter(user=user, status__in=OPEN_STATUSES).exists():
        raise AlreadySubscribed()
    return plan, price


def _subscription_create(*, user, plan: Plan, price: PlanPrice, trial: bool, request: CheckoutRequest) -> Payment:
    """The pending subscription and its first payment, the coupon reserved. CouponRefused and a rail's refusal
    roll everything back."""
    at = timezone.now()
    currency, interval, provider = price.currency, price.interval, request.provider
    with transaction.atomic():
        quote = coupon_quote(
            code=request.coupon_code, user=user, purpose=Payment.Purpose.SUBSCRIPTION, currency=currency,
            subtotal_minor=price.amount_minor, at=at, plan=plan, lock=True,
        )
        # A trial's payment is zero; its coupon waits on the subscription for the first charged payment.
        first = Quote(quote.coupon, 0, 0, currency) if trial else quote
        following = coupon_payments_for(coupon=quote.coupon, interval=interval)
        if trial and following is not None:
            following += 1
        _rail_check(provider=provider, currency=currency, amount_minor=first.amount_minor)
        subscription = Subscription.objects.create(
            user=user, plan=plan, interval=interval, currency=currency, amount_minor=price.amount_minor,
            provider=provider, coupon=quote.coupon, coupon_payments_left=following,
        )
        payment = Payment.objects.create(
            user=user, purpose=Payment.Purpose.SUBSCRIPTION, provider=provider, currency=currency,
            subtotal_minor=first.subtotal_minor, discount_minor=first.discount_minor, amount_minor=first.amount_minor,
            subscription=subscription, plan=plan, interval=interval, coupon=quote.coupon, phone=request.phone[:20],
            territory=_territory(request), expires_at=payment_expiry(provider=provider, at=at),
        )
        coupon_reserve(quote=quote, user=user, payment=payment)
    return payment


def checkout_purchase_start(
    *, user, window_id: int, checkout: CheckoutRequest | None = None, **terms
) -> Payment:
    """Start a one-time purchase through a film window (TVOD rental, PVOD purchase, PPV ticket, festival pass,
    collector edition) at the price rights offers in `territory`. A collector checkout reserves a copy until the
    payment is paid or expires; the last copy goes to one buyer only. Raises NotForSale, AlreadyEntitled, SoldOut,
    WrongCurrency, CouponRefused, ProviderUnavailable, ProviderError; nothing is recorded on a refusal.
    `checkout` says how the payer pays; CheckoutRequest's fields as keywords instead are still taken."""
    request = _checkout_request(checkout, terms)
    at = timezone.now()
    window, offer = _purchase_check(user=user, window_id=window_id, request=request, at=at)
    payment = _purchase_create(user=user, window=window, offer=offer, request=request, at=at)
    _supersede_pending(user=user, coupon=payment.coupon, keep=payment)
    return _hand_off(payment=payment, return_url=request.return_url)


def _purchase_check(*, user, window_id: int, request: CheckoutRequest, at: datetime) -> tuple[object, dict]:
    _provider_check(request.provider)
    window = _window_check(window_id)
    kind_for_window(window)
    if window_held(user=user, window_id=window.pk, at=at):
        raise AlreadyEntitled()
    offer = _offer_check(window=window, territory=request.territory, at=at, user=user)
    _currency_check(given=request.currency, expected=offer["price"]["currency"])
    return window, offer


def _purchase_create(*, user, window, offer: dict, request: CheckoutRequest, at: datetime) -> Payment:
    """The pending payment with the coupon reserved (and, for a collector edition, a copy held by it)."""
    currency, provider = offer["price"]["currency"], request.provider
    film = catalog_selectors.film_get(film_id=window.film_id)
    with transaction.atomic():
        if window.window_type == "collector":
            collector_lock(window_id=window.pk)
            if collector_copies_left(window=window, at=at) <= 0:
                raise SoldOut()
        quote = coupon_quote(
            code=request.coupon_code, user=user, purpose=Payment.Purpose.PURCHASE, currency=currency,
            subtotal_minor=offer["price"]["amount_minor"], at=at, lock=True,
        )
        _rail_check(provider=provider, currency=currency, amount_minor=quote.amount_minor)
        payment = Payment.objects.create(
            user=user, purpose=Payment.Purpose.PURCHASE, provider=provider, currency=currency,
            subtotal_minor=quote.subtotal_minor, discount_minor=quote.discount_minor, amount_minor=quote.amount_minor,
            window_id=window.pk, film_id=film.pk, window_type=window.window_type, coupon=quote.coupon,
            phone=request.phone[:20], territory=_territory(request),
            expires_at=payment_expiry(provider=provider, at=at),
        )
        coupon_reserve(quote=quote, user=user, payment=payment)
    return payment


def checkout_renewal_start(
    *, user, subscription_id: int, provider: str, phone: str = "", return_url: str = ""
) -> Payment:
    """Pay the next period of a live subscription on a rail that does not renew by itself (PNG rails, bank). A
    subscription in its grace period pays the overdue period. The coupon's remaining discounted payments apply."""
    _provider_check(provider)
    if provider_info(provider).renews_itself:
        raise ProviderUnavailable("Stripe subscriptions renew by themselves.", fields={"provider": ["Not stripe."]})
    subscription = Subscription.objects.filter(pk=subscription_id, user=user).select_related("coupon").first()
    if subscription is None or subscription.status not in OPEN_STATUSES:
        raise BillingInvalid(fields={"subscription_id": ["No live subscription of yours with this id."]})
    at = timezone.now()
    discount = _renewal_discount(subscription)
    start = subscription.current_period_end or at
    _rail_check(provider=provider, currency=subscription.currency, amount_minor=subscription.amount_minor - discount)
    with transaction.atomic():
        payment = Payment.objects.create(
            user=user, purpose=Payment.Purpose.SUBSCRIPTION, provider=provider, currency=subscription.currency,
            subtotal_minor=subscription.amount_minor, discount_minor=discount,
            amount_minor=subscription.amount_minor - discount, subscription=subscription, plan=subscription.plan,
            interval=subscription.interval, coupon=subscription.coupon if discount else None, phone=phone[:20],
            period_start=start, period_end=add_interval(start, subscription.interval),
            expires_at=payment_expiry(provider=provider, at=at),
        )
    return _hand_off(payment=payment, return_url=return_url)


def _renewal_discount(subscription: Subscription) -> int:
    """The subscription's coupon on this renewal, while it has discounted payments left (0 otherwise)."""
    coupon = subscription.coupon
    if coupon is None or (subscription.coupon_payments_left is not None and subscription.coupon_payments_left <= 0):
        return 0
    return coupon_discount(coupon=coupon, subtotal_minor=subscription.amount_minor,
                           currency=subscription.currency) or 0


def coupon_preview(
    *, code: str, user, territory: str, plan_code: str | None = None, interval: str = "month",
    window_id: int | None = None,
) -> Quote:
    """What a coupon would take off a plan or a window's price in the viewer's territory (CouponRefused says why
    not), with every rule checkout applies. Reserves nothing."""
    at = timezone.now()
    if plan_code is not None:
        plan = billing_selectors.plan_get(plan_code=plan_code)
        price = _plan_price_check(plan=plan, interval=interval, territory=territory)
        return coupon_quote(code=code, user=user, purpose=Payment.Purpose.SUBSCRIPTION, currency=price.currency,
                            subtotal_minor=price.amount_minor, at=at, plan=plan)
    window = _window_check(window_id)
    offer = _offer_check(window=window, territory=territory, at=at, user=user)
    return coupon_quote(code=code, user=user, purpose=Payment.Purpose.PURCHASE,
                        currency=offer["price"]["currency"], subtotal_minor=offer["price"]["amount_minor"], at=at)


coupon_check = coupon_preview  # the name the API and docs/billing.md used before; same function
