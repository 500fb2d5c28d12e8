"""The payment lifecycle: confirm, fail, refresh, expire, refund, reconcile, and give up on a payment whose
provider hand-off failed. Every path that settles a payment (callbacks, Stripe's webhooks, the sweeps, the admin,
the payer's own cancel) goes through these, so a payment is granted, posted and refunded one way only."""

import contextlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from billing.errors import (
    BillingInvalid,
    BillingPermissionDenied,
    CallbackMismatch,
    PaymentNotFound,
    ProviderError,
    RefundNotAllowed,
    SoldOut,
)
from billing.models import OPEN_STATUSES, Payment, Provider, Subscription
from billing.periods import add_interval
from billing.providers import provider_for
from billing.providers import stripe as stripe_provider
from billing.providers.registry import PNG_LIVE_RAIL_CODES, provider_info
from billing.selectors import payment_page_path
from billing.services._state import payment_transition, subscription_transition
from billing.services.coupons import coupon_settle
from billing.services.grants import collector_lock, entitlement_issue, entitlement_revoke
from billing.services.ledger import ledger_post_payment, ledger_reverse_payment
from billing.services.notices import payment_failed_notify, payment_receipt_notify
from billing.services.subscriptions import subscription_activate, subscription_renewed
from catalog import selectors as catalog_selectors
from rights import selectors as rights_selectors


def payment_expiry(*, provider: str, at: datetime) -> datetime:
    """When a payment started at `at` on `provider` stops waiting: days for a bank transfer, minutes otherwise."""
    if provider == Provider.BANK:
        return at + timedelta(hours=settings.BILLING_BANK_TRANSFER_TTL_HOURS)
    return at + timedelta(minutes=settings.BILLING_PAYMENT_TTL_MINUTES)


def payment_return_url(*, payment: Payment, given: str) -> str:
    """Where the provider sends the payer back: the caller's address, else the payment's waiting page."""
    return given or f"{settings.WANS_SITE_URL}{payment_page_path(payment=payment)}"



def payment_abandon(*, payment_id: int, reason: str) -> None:
    """The provider hand-off of a new payment failed or was refused: the payment fails (nothing charged, nothing
    granted), its coupon is released and a subscription waiting for it ends unpaid. A payment that is no longer
    pending is left as it is. The compensation for every rail, Stripe included."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment_id)
        if locked.status == Payment.Status.PENDING:
            payment_transition(payment=locked, to=Payment.Status.FAILED, failure_reason=reason[:200])
            coupon_settle(payment=locked, paid=False)
            _subscription_unpaid(payment=locked)


def payment_simulated_answer_schedule(*, payment_id: int, outcome: str | None) -> None:
    """The sandbox decided how a simulated wallet answers (billing.providers.sandbox): send that answer after
    BILLING_SANDBOX_DELAY_SECONDS, once the payment is committed. None: the wallet never answers."""
    if outcome is None:
        return
    from billing.tasks import sandbox_resolve_later  # the task calls billing.services (Celery's idiom)

    transaction.on_commit(
        lambda: sandbox_resolve_later.apply_async(
            args=[payment_id, outcome], countdown=settings.BILLING_SANDBOX_DELAY_SECONDS
        )
    )


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
            live = Subscription.objects.filter(user_id=subscription.user_id, status__in=OPEN_STATUSES)
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
                collector_lock(window_id=window.pk)
            except SoldOut:
                raise _NothingToGrant("The last copy was sold before this payment arrived.") from None
        try:
            entitlement_issue(user=payment.user, window=window, at=at, payment=payment)
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
        coupon_settle(payment=payment, paid=True)
        try:
            with transaction.atomic():
                _grant_for(payment=payment, at=at)
        except _NothingToGrant as nothing:
            refund_reason = str(nothing)
        film = catalog_selectors.film_get(film_id=payment.film_id) if payment.film_id else None
        ledger_post_payment(payment=payment, creator_id=film.creator_id if film else None)
        if not refund_reason:  # one refunded at once bought nothing: its refund is what the payer hears of
            payment_receipt_notify(payment=payment)
    if refund_reason:
        return _refund_nothing_granted(payment=payment, reason=refund_reason)
    return payment


def _refund_nothing_granted(*, payment: Payment, reason: str) -> Payment:
    """A paid payment that could grant nothing (sold out, withdrawn, another subscription live) goes back at once;
    where the rail cannot refund by API, the reason tells staff to refund it by hand."""
    try:
        return payment_refund(payment=payment, by=None, reason=reason)
    except (RefundNotAllowed, ProviderError):
        Payment.objects.filter(pk=payment.pk).update(failure_reason=f"{reason} Refund it by hand.")
    return payment


def _fee_estimate(payment: Payment) -> int:
    """The rail's fee when its confirmation does not say (a bank transfer, a staff payment: none)."""
    if provider_info(payment.provider).kind in ("bank", "grant"):
        return 0
    return provider_for(payment.provider).fee_for(payment.amount_minor)


def _subscription_unpaid(*, payment: Payment) -> None:
    if payment.subscription_id:
        subscription = Subscription.objects.select_for_update().get(pk=payment.subscription_id)
        if subscription.status == Subscription.Status.PENDING:
            subscription_transition(subscription=subscription, to=Subscription.Status.EXPIRED)


def payment_fail(*, payment_id: int, reason: str, expired: bool = False, tell_payer: bool = True) -> Payment:
    """The provider says the payment failed (or it was never confirmed in time: `expired`). Nothing is granted;
    the coupon is released; a subscription that was waiting for it ends unpaid. Idempotent; a paid payment stays
    paid (an out-of-order failure after a success changes nothing). The payer is told (payment failed, or a wallet
    request timed out) unless `tell_payer` is False: they gave up on it themselves."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None:
            raise PaymentNotFound()
        if payment.status != Payment.Status.PENDING:
            return payment
        to = Payment.Status.EXPIRED if expired else Payment.Status.FAILED
        payment_transition(payment=payment, to=to, failure_reason=reason[:200])
        coupon_settle(payment=payment, paid=False)
        _subscription_unpaid(payment=payment)
        if tell_payer:
            payment_failed_notify(payment=payment, expired=expired)
    return payment


def payment_refresh(*, payment: Payment) -> Payment:
    """Ask the provider for a pending payment's state (a rail with an API; a callback may have been lost) and apply
    what it says: paid (amount and currency checked), failed or expired. Unchanged if it cannot be asked."""
    if payment.status != Payment.Status.PENDING or payment.provider not in PNG_LIVE_RAIL_CODES:
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
        by_rail = payment.amount_minor and payment.provider != Provider.STAFF  # a free or granted payment: no rail
        adapter = provider_for(payment.provider) if by_rail else None
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
        ledger_reverse_payment(payment=payment, occurred_at=at)
        for entitlement in payment.entitlements.all():
            entitlement_revoke(entitlement=entitlement, at=at)
        if payment.subscription_id:
            subscription = Subscription.objects.select_for_update().get(pk=payment.subscription_id)
            latest = subscription.payments.filter(status__in=[Payment.Status.PAID, Payment.Status.REFUNDED]).order_by(
                "-period_end", "-id"
            ).first()
            if subscription.status in OPEN_STATUSES and latest is not None and latest.pk == payment.pk:
                subscription_transition(subscription=subscription, to=Subscription.Status.CANCELED, ended_at=at)
                if subscription.provider == Provider.STRIPE and subscription.stripe_subscription_id and not manual:
                    stripe_provider.subscription_cancel_now(subscription=subscription)
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


def payer_data_erase(*, user) -> int:
    """Forget a person's payer details (the wallet phone number) on their payments; the payments and the ledger
    stay, as the books must. Returns the payments changed."""
    return Payment.objects.filter(user=user).exclude(phone="").update(phone="")
