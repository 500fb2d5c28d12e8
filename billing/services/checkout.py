"""Checkout: start a subscription or a one-time purchase with a provider, then confirm, fail, expire or refund the
payment. One service layer for the API, the site, the admin and the webhooks."""

import contextlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from billing.errors import (
    AlreadyEntitled,
    AlreadySubscribed,
    BillingInvalid,
    BillingPermissionDenied,
    CallbackMismatch,
    NotForSale,
    PaymentNotFound,
    ProviderError,
    ProviderUnavailable,
    RefundNotAllowed,
    SoldOut,
    WrongCurrency,
)
from billing.models import LIVE_SUBSCRIPTION, Payment, PlanPrice, Provider, Subscription
from billing.providers import provider_for
from billing.services import coupons, grants, ledger
from billing.services._state import payment_transition, subscription_transition
from billing.services.subscriptions import (
    add_interval,
    plan_get,
    subscription_activate,
    subscription_renewed,
)
from catalog import selectors as catalog_selectors
from rights import selectors as rights_selectors

CHECKOUT_PROVIDERS = ("stripe", "bsp", "digicel", "vodafone", "bank", "sandbox")


def _provider_check(provider: str) -> None:
    if provider not in CHECKOUT_PROVIDERS or provider not in settings.BILLING_PROVIDERS_ENABLED:
        offered = ", ".join(p for p in CHECKOUT_PROVIDERS if p in settings.BILLING_PROVIDERS_ENABLED)
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


PGK_ONLY = ("bsp", "digicel", "vodafone", "bank")
BSP_MINIMUM_MINOR = 100  # BSP Pay takes K1 at least


def _rail_check(*, provider: str, currency: str, amount_minor: int) -> None:
    """PNG rails take kina only; BSP Pay takes K1 at least (a free, fully discounted payment needs no rail)."""
    if provider in PGK_ONLY and currency != "PGK":
        raise ProviderUnavailable(
            f"This payment method takes kina (PGK) only; in your territory the price is in {currency}: pay by card.",
            fields={"provider": ["Use stripe (card) outside Papua New Guinea."]},
        )
    if provider == "bsp" and 0 < amount_minor < BSP_MINIMUM_MINOR:
        raise ProviderUnavailable("BSP Pay takes K1.00 at least.", fields={"provider": ["Below BSP's K1 minimum."]})


def _expiry(provider: str, at: datetime) -> datetime:
    if provider == Provider.BANK:
        return at + timedelta(hours=settings.BILLING_BANK_TRANSFER_TTL_HOURS)
    return at + timedelta(minutes=settings.BILLING_PAYMENT_TTL_MINUTES)


def _return_url(payment: Payment, given: str) -> str:
    return given or f"{settings.WANS_SITE_URL}{reverse('billing:payment', args=[payment.public_id])}"


def _initiate(*, payment: Payment, return_url: str) -> Payment:
    """Hand a new pending payment to its provider. A provider that fails or refuses leaves the payment failed
    (nothing charged, nothing granted) and the error propagates. A zero amount is paid at once."""
    payment.return_url = _return_url(payment, return_url)
    if payment.amount_minor == 0:
        payment.save(update_fields=["return_url"])
        return payment_confirm(
            payment_id=payment.pk, amount_minor=0, currency=payment.currency, fee_minor=0, at=timezone.now()
        )
    adapter = provider_for(payment.provider)
    try:
        with transaction.atomic():
            started = adapter.initiate(payment=payment)
            Payment.objects.filter(pk=payment.pk).update(
                provider_ref=started.provider_ref,
                next_action=started.next_action,
                redirect_url=started.redirect_url,
                return_url=payment.return_url,
            )
    except Exception as exc:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            if locked.status == Payment.Status.PENDING:
                payment_transition(payment=locked, to=Payment.Status.FAILED, failure_reason=str(exc)[:200])
                coupons.coupon_settle(payment=locked, paid=False)
                _subscription_unpaid(payment=locked)
        raise
    payment.refresh_from_db()
    return payment


def checkout_subscription_start(
    *,
    user,
    plan_code: str,
    interval: str = "month",
    provider: str,
    territory: str,
    currency: str | None = None,
    coupon_code: str | None = None,
    phone: str = "",
    return_url: str = "",
) -> Payment:
    """Start a subscription: a pending Subscription and its first Payment, handed to the provider. Returns the
    payment (status, next_action, redirect_url). A first-time subscriber to a plan with trial days starts a trial at
    once (a paid zero payment; the first charge comes at the trial's end). Raises UnknownPlan, WrongCurrency,
    CouponRefused, AlreadySubscribed, ProviderUnavailable, ProviderError: nothing is recorded on a refusal."""
    _provider_check(provider)
    if interval not in ("month", "year"):
        raise BillingInvalid(fields={"interval": ["Use month or year."]})
    plan = plan_get(plan_code=plan_code)
    expected = rights_selectors.currency_for_territory(territory=territory)
    price = PlanPrice.objects.filter(plan=plan, interval=interval, currency=expected).first()
    if price is None:
        expected = "USD"
        price = PlanPrice.objects.filter(plan=plan, interval=interval, currency="USD").first()
    if price is None:
        raise BillingInvalid(fields={"interval": [f"{plan.name} has no {interval}ly price."]})
    _currency_check(given=currency, expected=expected)
    if Subscription.objects.filter(user=user, status__in=LIVE_SUBSCRIPTION).exists():
        raise AlreadySubscribed()
    at = timezone.now()
    trial = plan.trial_days > 0 and not coupons._has_subscribed(user=user)
    with transaction.atomic():
        quote = coupons.coupon_quote(
            code=coupon_code, user=user, purpose=Payment.Purpose.SUBSCRIPTION, currency=expected,
            subtotal_minor=price.amount_minor, at=at, plan=plan, lock=True,
        )
        # A trial's payment is zero; its coupon waits on the subscription for the first charged payment.
        first = coupons.Quote(quote.coupon, 0, 0, expected) if trial else quote
        following = coupons.coupon_payments_for(coupon=quote.coupon, interval=interval)
        if trial and following is not None:
            following += 1
        _rail_check(provider=provider, currency=expected, amount_minor=first.amount_minor)
        subscription = Subscription.objects.create(
            user=user, plan=plan, interval=interval, currency=expected, amount_minor=price.amount_minor,
            provider=provider, coupon=quote.coupon, coupon_payments_left=following,
        )
        payment = Payment.objects.create(
            user=user, purpose=Payment.Purpose.SUBSCRIPTION, provider=provider, currency=expected,
            subtotal_minor=first.subtotal_minor, discount_minor=first.discount_minor, amount_minor=first.amount_minor,
            subscription=subscription, plan=plan, interval=interval, coupon=quote.coupon, phone=phone[:20],
            expires_at=_expiry(provider, at),
        )
        coupons.coupon_reserve(quote=quote, user=user, payment=payment)
    _supersede_pending(user=user, coupon=quote.coupon, keep=payment)
    if provider == Provider.STRIPE:
        from billing.services.stripe_checkout import stripe_checkout_start

        return stripe_checkout_start(payment=payment, return_url=return_url)
    return _initiate(payment=payment, return_url=return_url)


def checkout_purchase_start(
    *,
    user,
    window_id: int,
    provider: str,
    territory: str,
    currency: str | None = None,
    coupon_code: str | None = None,
    phone: str = "",
    return_url: str = "",
) -> Payment:
    """Start a one-time purchase through a film window (TVOD rental, PVOD purchase, PPV ticket, festival pass,
    collector edition) at the price rights offers in `territory`. A collector checkout reserves a copy until the
    payment is paid or expires; the last copy goes to one buyer only. Raises NotForSale, AlreadyEntitled, SoldOut,
    WrongCurrency, CouponRefused, ProviderUnavailable, ProviderError; nothing is recorded on a refusal."""
    _provider_check(provider)
    window = rights_selectors.window_get(window_id=window_id)
    if window is None:
        raise BillingInvalid(fields={"window_id": ["No such window."]})
    grants.kind_for_window(window)
    at = timezone.now()
    if grants.window_held(user=user, window_id=window.pk, at=at):
        raise AlreadyEntitled()
    answer = rights_selectors.availability_for(film_id=window.film_id, territory=territory, at=at, user=user)
    offer = next((o for o in answer["offers"] if o["window_id"] == window.pk), None)
    if offer is None or offer["price"] is None:
        raise NotForSale(f"This window is not on sale in {territory} now.")
    expected = offer["price"]["currency"]
    _currency_check(given=currency, expected=expected)
    film = catalog_selectors.film_get(film_id=window.film_id)
    with transaction.atomic():
        if window.window_type == "collector":
            grants.collector_lock(window_id=window.pk)
            if grants.collector_copies_left(window=window, at=at) <= 0:
                raise SoldOut()
        quote = coupons.coupon_quote(
            code=coupon_code, user=user, purpose=Payment.Purpose.PURCHASE, currency=expected,
            subtotal_minor=offer["price"]["amount_minor"], at=at, lock=True,
        )
        _rail_check(provider=provider, currency=expected, amount_minor=quote.amount_minor)
        payment = Payment.objects.create(
            user=user, purpose=Payment.Purpose.PURCHASE, provider=provider, currency=expected,
            subtotal_minor=quote.subtotal_minor, discount_minor=quote.discount_minor, amount_minor=quote.amount_minor,
            window_id=window.pk, film_id=film.pk, window_type=window.window_type, coupon=quote.coupon,
            phone=phone[:20], expires_at=_expiry(provider, at),
        )
        coupons.coupon_reserve(quote=quote, user=user, payment=payment)
    _supersede_pending(user=user, coupon=quote.coupon, keep=payment)
    if provider == Provider.STRIPE:
        from billing.services.stripe_checkout import stripe_checkout_start

        return stripe_checkout_start(payment=payment, return_url=return_url)
    return _initiate(payment=payment, return_url=return_url)


def _supersede_pending(*, user, coupon, keep: Payment) -> None:
    """A person's own use of a coupon is counted when a payment is confirmed, so a new checkout with it is allowed
    while an earlier one waits; the earlier attempt is then given up (expired: nothing granted, coupon released; a
    confirmation that still arrives for it stands, as for any late payment)."""
    if coupon is None:
        return
    earlier = coupons.CouponRedemption.objects.filter(
        coupon=coupon, user=user, status=coupons.CouponRedemption.Status.RESERVED,
        payment__status=Payment.Status.PENDING,
    ).exclude(payment=keep).values_list("payment_id", flat=True)
    for payment_id in list(earlier):
        payment_fail(payment_id=payment_id, reason="Replaced by a newer checkout.", expired=True)


class _NothingToGrant(Exception):
    """What the payment bought can no longer be given: payment_confirm refunds it (the reason is the message)."""


def _grant_for(*, payment: Payment, at: datetime) -> None:
    """What a paid payment grants. Preconditions: inside the transaction that marked it paid. Raises
    _NothingToGrant when nothing can be (payment_confirm then refunds)."""
    if payment.purpose == Payment.Purpose.SUBSCRIPTION:
        subscription = Subscription.objects.select_for_update().get(pk=payment.subscription_id)
        if subscription.status == Subscription.Status.EXPIRED:
            # Its first payment arrived after we gave up waiting (payment expired, subscription ended unpaid). The
            # access paid for starts now, unless the person meanwhile got another live subscription (a retry that
            # was paid): then this money bought nothing and goes back.
            live = Subscription.objects.filter(user_id=subscription.user_id, status__in=LIVE_SUBSCRIPTION)
            if live.exclude(pk=subscription.pk).exists():
                raise _NothingToGrant("Paid after it expired, while another subscription was already live.")
            subscription.ended_at = None
        if subscription.status in (Subscription.Status.PENDING, Subscription.Status.EXPIRED):
            trial = payment.subtotal_minor == 0 and subscription.plan.trial_days > 0
            late = subscription.status == Subscription.Status.EXPIRED  # a whole period from now, not from checkout
            end = at + timedelta(days=subscription.plan.trial_days) if trial else (
                (None if late else payment.period_end) or add_interval(at, subscription.interval)
            )
            subscription_activate(subscription=subscription, at=at, period_end=end, payment=payment, trial=trial)
            Payment.objects.filter(pk=payment.pk).update(period_start=at, period_end=end)
        else:
            start = payment.period_start or subscription.current_period_end or at
            end = payment.period_end or add_interval(start, subscription.interval)
            subscription_renewed(subscription=subscription, period_start=start, period_end=end)
            Payment.objects.filter(pk=payment.pk).update(period_start=start, period_end=end)
        return
    window = rights_selectors.window_get(window_id=payment.window_id) if payment.window_id else None
    if window is None:  # withdrawn while the payment was pending: nothing to grant, the payment is refunded
        raise _NothingToGrant("The offer was withdrawn before this payment arrived.")
    with transaction.atomic():
        if window.window_type == "collector":
            try:
                grants.collector_lock(window_id=window.pk)
            except SoldOut:
                raise _NothingToGrant("The last copy was sold before this payment arrived.") from None
        try:
            grants.entitlement_issue(user=payment.user, window=window, at=at, payment=payment)
        except SoldOut:
            raise _NothingToGrant("The last copy was sold before this payment arrived.") from None


def payment_confirm(
    *,
    payment_id: int,
    amount_minor: int,
    currency: str,
    fee_minor: int | None,
    at: datetime,
    provider_ref: str = "",
) -> Payment:
    """The provider says the payment is paid: check the amount and currency (CallbackMismatch otherwise, nothing
    changed), mark it paid, grant what it buys, post it to the ledger and confirm its coupon. Idempotent: a payment
    already paid (or refunded) is returned unchanged. A payment confirmed after it expired grants what it bought if
    it still can (a rental, a purchase, the subscription it was to start); if it cannot (the collector copy sold out
    meanwhile, the offer withdrawn, another subscription live since) it is posted and refunded at once, so the
    ledger shows the money in and back out."""
    refund_reason = ""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None:
            raise PaymentNotFound()
        if payment.status in (Payment.Status.PAID, Payment.Status.REFUNDED):
            return payment
        if amount_minor != payment.amount_minor or currency != payment.currency:
            raise CallbackMismatch(
                f"The provider reports {currency} {amount_minor} for {payment.reference}, which is "
                f"{payment.currency} {payment.amount_minor}.",
                fields={"amount": ["Does not match the payment."]},
            )
        if payment.status not in (Payment.Status.PENDING, Payment.Status.EXPIRED):
            return payment  # failed is final: a late success for it is recorded as an event, not applied
        payment_transition(
            payment=payment,
            to=Payment.Status.PAID,
            paid_at=at,
            fee_minor=fee_minor if fee_minor is not None else _fee_estimate(payment),
            provider_ref=payment.provider_ref or provider_ref[:120],
        )
        coupons.coupon_settle(payment=payment, paid=True)
        try:
            with transaction.atomic():
                _grant_for(payment=payment, at=at)
        except _NothingToGrant as nothing:
            refund_reason = str(nothing)
        film = catalog_selectors.film_get(film_id=payment.film_id) if payment.film_id else None
        ledger.ledger_post_payment(payment=payment, creator_id=film.creator_id if film else None)
    if refund_reason:
        reason = refund_reason
        try:
            return payment_refund(payment=payment, by=None, reason=reason)
        except (RefundNotAllowed, ProviderError):
            Payment.objects.filter(pk=payment.pk).update(failure_reason=f"{reason} Refund it by hand.")
    return payment


def _fee_estimate(payment: Payment) -> int:
    if payment.provider in ("bsp", "digicel", "vodafone", "stripe"):
        return provider_for(payment.provider).fee_for(payment.amount_minor)
    return 0


def _subscription_unpaid(*, payment: Payment) -> None:
    if payment.subscription_id:
        subscription = Subscription.objects.select_for_update().get(pk=payment.subscription_id)
        if subscription.status == Subscription.Status.PENDING:
            subscription_transition(subscription=subscription, to=Subscription.Status.EXPIRED)


def payment_fail(*, payment_id: int, reason: str, expired: bool = False) -> Payment:
    """The provider says the payment failed (or it was never confirmed in time: `expired`). Nothing is granted;
    the coupon is released; a subscription that was waiting for it ends unpaid. Idempotent; a paid payment stays
    paid (an out-of-order failure after a success changes nothing)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None:
            raise PaymentNotFound()
        if payment.status != Payment.Status.PENDING:
            return payment
        to = Payment.Status.EXPIRED if expired else Payment.Status.FAILED
        payment_transition(payment=payment, to=to, failure_reason=reason[:200])
        coupons.coupon_settle(payment=payment, paid=False)
        _subscription_unpaid(payment=payment)
    return payment


def payment_refresh(*, payment: Payment) -> Payment:
    """Ask the provider for a pending payment's state (a rail with an API; a callback may have been lost) and apply
    what it says: paid (amount and currency checked), failed or expired. Unchanged if it cannot be asked."""
    if payment.status != Payment.Status.PENDING or payment.provider not in ("bsp", "digicel", "vodafone"):
        return payment
    try:
        answer = provider_for(payment.provider).status(payment=payment)
    except ProviderError:
        return payment
    if not answer:
        return payment
    state = answer.get("status")
    if state == "paid" and isinstance(answer.get("amount"), int):
        fee = answer.get("fee")
        return payment_confirm(
            payment_id=payment.pk, amount_minor=answer["amount"], currency=str(answer.get("currency", ""))[:3],
            fee_minor=fee if isinstance(fee, int) and fee >= 0 else None, at=timezone.now(),
        )
    if state in ("failed", "expired"):
        return payment_fail(payment_id=payment.pk, reason=f"{payment.provider} reports it {state}.",
                            expired=state == "expired")
    return payment


def payments_expire(*, at: datetime | None = None) -> int:
    """Beat task body: pending payments past their expiry are first checked with their rail (a lost callback must
    not lose a payment), then expire (nothing granted). Returns how many expired."""
    at = at or timezone.now()
    due = list(Payment.objects.filter(status=Payment.Status.PENDING, expires_at__lte=at)[:500])
    expired = 0
    for payment in due:
        with contextlib.suppress(CallbackMismatch):  # the rail's record disagrees: expire it, staff look at it
            payment = payment_refresh(payment=payment)
        if payment.status == Payment.Status.PENDING:
            payment_fail(payment_id=payment.pk, reason="Not confirmed in time.", expired=True)
            expired += 1
    return expired


def payment_refund(*, payment: Payment, by, reason: str, manual: bool = False) -> Payment:
    """Refund a paid payment in full: through the provider where it refunds by API (or `manual`: staff paid the
    money back by hand, e.g. a bank transfer or M-PAiSA), then reverse exactly its ledger entries, revoke what it
    granted and end the subscription it started or renewed last. `by` is staff (None: the system itself)."""
    if by is not None and not getattr(by, "is_staff", False):
        raise BillingPermissionDenied("Only staff may refund.")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == Payment.Status.REFUNDED:
            return payment
        if payment.status != Payment.Status.PAID:
            raise RefundNotAllowed(f"A {payment.status} payment cannot be refunded.")
        adapter = provider_for(payment.provider) if payment.amount_minor and payment.provider != "staff" else None
        if adapter is not None and not adapter.refunds and not manual:
            raise RefundNotAllowed(
                f"{payment.get_provider_display()} cannot refund through its API: pay the money back by hand, then "
                "record it as a manual refund."
            )
        at = timezone.now()
        if adapter is not None and not manual:
            adapter.refund(payment=payment)  # raises ProviderError: then nothing here changes
        payment_transition(payment=payment, to=Payment.Status.REFUNDED, refunded_at=at,
                           failure_reason=(reason or "")[:200])
        ledger.ledger_reverse_payment(payment=payment, occurred_at=at)
        for entitlement in payment.entitlements.all():
            grants.entitlement_revoke(entitlement=entitlement, at=at)
        if payment.subscription_id:
            subscription = Subscription.objects.select_for_update().get(pk=payment.subscription_id)
            latest = subscription.payments.filter(status__in=[Payment.Status.PAID, Payment.Status.REFUNDED]).order_by(
                "-period_end", "-id"
            ).first()
            if subscription.status in LIVE_SUBSCRIPTION and latest is not None and latest.pk == payment.pk:
                subscription_transition(subscription=subscription, to=Subscription.Status.CANCELED, ended_at=at)
                if subscription.provider == Provider.STRIPE and subscription.stripe_subscription_id and not manual:
                    from billing.services.stripe_checkout import stripe_subscription_cancel_now

                    stripe_subscription_cancel_now(subscription=subscription)
    return payment


def bank_transfer_reconcile(*, payment: Payment, by, amount_minor: int, currency: str, bank_ref: str) -> Payment:
    """Staff matched a bank or USSD transfer quoting this payment's reference: it is paid (amounts must match)."""
    if by is None or not getattr(by, "is_staff", False):
        raise BillingPermissionDenied("Only staff reconcile transfers.")
    if payment.provider != Provider.BANK:
        raise BillingInvalid(fields={"payment": ["Only bank transfers are reconciled by hand."]})
    if not (bank_ref or "").strip():
        raise BillingInvalid(fields={"bank_ref": ["Give the bank's reference for the transfer."]})
    if Payment.objects.filter(provider=Provider.BANK, provider_ref=bank_ref.strip()[:120]).exclude(
        pk=payment.pk
    ).exists():
        raise BillingInvalid(fields={"bank_ref": ["This transfer already paid another order."]})
    return payment_confirm(
        payment_id=payment.pk, amount_minor=amount_minor, currency=currency, fee_minor=0, at=timezone.now(),
        provider_ref=bank_ref.strip(),
    )


def payment_get_for(*, payment_id: int, user) -> Payment:
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or not (user.is_staff or payment.user_id == user.pk):
        raise PaymentNotFound()
    return payment


__all__ = [
    "NotForSale",
    "bank_transfer_reconcile",
    "checkout_purchase_start",
    "checkout_subscription_start",
    "payment_confirm",
    "payment_fail",
    "payment_refund",
    "payments_expire",
]


def coupon_check(
    *, code: str, user, territory: str, plan_code: str | None = None, interval: str = "month",
    window_id: int | None = None,
) -> coupons.Quote:
    """What a coupon would take off a plan or a window's price in the viewer's territory (CouponRefused says why
    not). Reserves nothing."""
    at = timezone.now()
    if plan_code is not None:
        plan = plan_get(plan_code=plan_code)
        currency = rights_selectors.currency_for_territory(territory=territory)
        price = PlanPrice.objects.filter(plan=plan, interval=interval, currency=currency).first() or (
            PlanPrice.objects.filter(plan=plan, interval=interval, currency="USD").first()
        )
        if price is None:
            raise BillingInvalid(fields={"interval": [f"{plan.name} has no {interval}ly price."]})
        return coupons.coupon_quote(code=code, user=user, purpose=Payment.Purpose.SUBSCRIPTION,
                                    currency=price.currency, subtotal_minor=price.amount_minor, at=at, plan=plan)
    window = rights_selectors.window_get(window_id=window_id)
    if window is None:
        raise BillingInvalid(fields={"window_id": ["No such window."]})
    answer = rights_selectors.availability_for(film_id=window.film_id, territory=territory, at=at, user=user)
    offer = next((o for o in answer["offers"] if o["window_id"] == window.pk and o["price"]), None)
    if offer is None:
        raise NotForSale(f"This window is not on sale in {territory} now.")
    return coupons.coupon_quote(code=code, user=user, purpose=Payment.Purpose.PURCHASE,
                                currency=offer["price"]["currency"], subtotal_minor=offer["price"]["amount_minor"],
                                at=at)


def subscription_coupon_apply(*, subscription: Subscription, code: str, by) -> Subscription:
    """Put a coupon on a live subscription: its next renewals are discounted by the coupon's rules (once: the next
    one; N months; forever). Counts as a redemption at once."""
    if by is None or not (by.is_staff or by.pk == subscription.user_id):
        raise BillingPermissionDenied("Only the subscriber or staff may change this subscription.")
    at = timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.status not in LIVE_SUBSCRIPTION:
            raise BillingInvalid(fields={"subscription_id": ["This subscription has ended."]})
        quote = coupons.coupon_quote(code=code, user=subscription.user, purpose=Payment.Purpose.SUBSCRIPTION,
                                     currency=subscription.currency, subtotal_minor=subscription.amount_minor,
                                     at=at, plan=subscription.plan, lock=True)
        following = coupons.coupon_payments_for(coupon=quote.coupon, interval=subscription.interval)
        subscription.coupon = quote.coupon
        subscription.coupon_payments_left = None if following is None else following + 1
        subscription.save(update_fields=["coupon", "coupon_payments_left", "updated_at"])
        coupons.CouponRedemption.objects.create(
            coupon=quote.coupon, user=subscription.user, subscription=subscription,
            status=coupons.CouponRedemption.Status.CONFIRMED,
        )
    return subscription


def checkout_renewal_start(*, user, subscription_id: int, provider: str, phone: str = "", return_url: str = ""):
    """Pay the next period of a live subscription on a rail that does not renew by itself (PNG rails, bank). A
    subscription in its grace period pays the overdue period. The coupon's remaining discounted payments apply."""
    _provider_check(provider)
    if provider == Provider.STRIPE:
        raise ProviderUnavailable("Stripe subscriptions renew by themselves.", fields={"provider": ["Not stripe."]})
    subscription = Subscription.objects.filter(pk=subscription_id, user=user).select_related("coupon").first()
    if subscription is None or subscription.status not in LIVE_SUBSCRIPTION:
        raise BillingInvalid(fields={"subscription_id": ["No live subscription of yours with this id."]})
    at = timezone.now()
    discount = 0
    coupon = subscription.coupon
    if coupon is not None and (subscription.coupon_payments_left is None or subscription.coupon_payments_left > 0):
        if coupon.kind == coupon.Kind.PERCENT:
            discount = (subscription.amount_minor * coupon.percent_off + 50) // 100
        else:
            amount = coupon.amounts.filter(currency=subscription.currency).first()
            discount = min(amount.amount_minor, subscription.amount_minor) if amount else 0
    start = subscription.current_period_end or at
    _rail_check(provider=provider, currency=subscription.currency, amount_minor=subscription.amount_minor - discount)
    with transaction.atomic():
        payment = Payment.objects.create(
            user=user, purpose=Payment.Purpose.SUBSCRIPTION, provider=provider, currency=subscription.currency,
            subtotal_minor=subscription.amount_minor, discount_minor=discount,
            amount_minor=subscription.amount_minor - discount, subscription=subscription, plan=subscription.plan,
            interval=subscription.interval, coupon=coupon if discount else None, phone=phone[:20],
            period_start=start, period_end=add_interval(start, subscription.interval),
            expires_at=_expiry(provider, at),
        )
    return _initiate(payment=payment, return_url=return_url)
