"""Stripe's webhooks drive every Stripe state change. dj-stripe verifies the Stripe-Signature and processes the
event (stores the Event, syncs the objects it names from Stripe's API); then `stripe_event_apply` applies it to our
payments, subscriptions, entitlements and ledger, once per event id (ProviderEvent)."""

from datetime import UTC, datetime

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone

from billing.models import OPEN_STATUSES, Payment, Provider, ProviderEvent, Subscription
from billing.providers.stripe import StripeCheckout, call
from billing.services._state import subscription_transition
from billing.services.payments import payment_confirm, payment_fail, payment_refund
from billing.services.subscriptions import subscription_renewal_failed, subscription_renewed

STRIPE = Provider.STRIPE

HANDLED = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.expired",
    "invoice.paid",
    "invoice.payment_failed",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "charge.refunded",
}


def _when(seconds: int | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, tz=UTC) if seconds else None


def _invoice_subscription_id(invoice: dict) -> str | None:
    """The invoice's subscription: `parent.subscription_details.subscription` since API 2025-03-31 (basil), the
    top-level `subscription` before."""
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    return parent.get("subscription") or invoice.get("subscription")


def _invoice_reference(invoice: dict) -> str | None:
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    return (parent.get("metadata") or {}).get("wans_reference") or (invoice.get("metadata") or {}).get(
        "wans_reference"
    )


def _invoice_payment_intent(invoice_id: str) -> str:
    """Which PaymentIntent paid this invoice (Stripe's Invoice Payments API), so a later charge.refunded finds it."""
    answer = call(stripe.InvoicePayment.list, invoice=invoice_id)
    for row in answer.get("data", []):
        intent = (row.get("payment") or {}).get("payment_intent")
        if intent:
            return intent if isinstance(intent, str) else intent["id"]
    return ""


def _fee(amount: int) -> int:
    return StripeCheckout().fee_for(amount)


def _session_completed(session: dict) -> str:
    payment = Payment.objects.filter(reference=session.get("client_reference_id") or "", provider=STRIPE).first()
    if payment is None:
        return "ignored: no such payment"
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return "waiting: not paid yet"
    amount = session.get("amount_total") or 0
    if session.get("mode") == "subscription" and session.get("subscription"):
        Subscription.objects.filter(pk=payment.subscription_id).update(
            stripe_subscription_id=session["subscription"]
        )
    if session.get("payment_intent"):
        Payment.objects.filter(pk=payment.pk, provider_charge_ref="").update(
            provider_charge_ref=session["payment_intent"]
        )
    payment_confirm(payment_id=payment.pk, amount_minor=amount, currency=(session.get("currency") or "").upper(),
                    fee_minor=_fee(amount), at=timezone.now(), provider_ref=session["id"])
    return "paid"


def _invoice_paid(invoice: dict) -> str:
    sub_id = _invoice_subscription_id(invoice)
    subscription = Subscription.objects.filter(stripe_subscription_id=sub_id).first() if sub_id else None
    amount, currency = invoice.get("amount_paid") or 0, (invoice.get("currency") or "").upper()
    line = ((invoice.get("lines") or {}).get("data") or [{}])[0]
    period = line.get("period") or {}
    start, end = _when(period.get("start")), _when(period.get("end"))
    if invoice.get("billing_reason") == "subscription_create":
        # The first invoice: the same money as checkout.session.completed, whichever arrives first confirms.
        payment = Payment.objects.filter(reference=_invoice_reference(invoice) or "", provider=STRIPE).first()
        if payment is None:
            return "ignored: no such payment"
        if sub_id:
            Subscription.objects.filter(pk=payment.subscription_id).update(stripe_subscription_id=sub_id)
        Payment.objects.filter(pk=payment.pk, provider_charge_ref="").update(
            provider_charge_ref=_invoice_payment_intent(invoice["id"]) if amount else "",
            period_start=start, period_end=end,
        )
        payment_confirm(payment_id=payment.pk, amount_minor=amount, currency=currency, fee_minor=_fee(amount),
                        at=timezone.now())
        return "paid"
    if subscription is None:
        return "ignored: no such subscription"
    with transaction.atomic():
        payment = Payment.objects.filter(provider=STRIPE, provider_ref=invoice["id"]).first()
        if payment is None:
            payment = Payment.objects.create(
                user_id=subscription.user_id, purpose=Payment.Purpose.SUBSCRIPTION, provider=STRIPE,
                currency=currency, subtotal_minor=invoice.get("subtotal") or amount,
                discount_minor=(invoice.get("subtotal") or amount) - amount, amount_minor=amount,
                subscription=subscription, plan=subscription.plan, interval=subscription.interval,
                provider_ref=invoice["id"], period_start=start, period_end=end,
                provider_charge_ref=_invoice_payment_intent(invoice["id"]) if amount else "",
            )
    payment_confirm(payment_id=payment.pk, amount_minor=amount, currency=currency, fee_minor=_fee(amount),
                    at=timezone.now())
    return "renewed"


def _invoice_failed(invoice: dict) -> str:
    sub_id = _invoice_subscription_id(invoice)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(stripe_subscription_id=sub_id).first()
        if subscription is None or invoice.get("billing_reason") == "subscription_create":
            return "ignored"
        subscription_renewal_failed(subscription=subscription, at=timezone.now())
    return "grace"


def _subscription_changed(obj: dict, deleted: bool) -> str:
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(stripe_subscription_id=obj["id"]).first()
        if subscription is None:
            return "ignored: no such subscription"
        if deleted or obj.get("status") in ("canceled", "incomplete_expired"):
            if subscription.status in OPEN_STATUSES:
                subscription_transition(subscription=subscription, to=Subscription.Status.CANCELED,
                                        ended_at=_when(obj.get("ended_at")) or timezone.now())
            return "canceled"
        subscription.cancel_at_period_end = bool(obj.get("cancel_at_period_end"))
        subscription.save(update_fields=["cancel_at_period_end", "updated_at"])
        item = ((obj.get("items") or {}).get("data") or [{}])[0]
        start = _when(item.get("current_period_start") or obj.get("current_period_start"))
        end = _when(item.get("current_period_end") or obj.get("current_period_end"))
        if obj.get("status") in ("past_due", "unpaid"):
            subscription_renewal_failed(subscription=subscription, at=timezone.now())
            return "grace"
        if obj.get("status") in ("active", "trialing") and start and end and subscription.status in OPEN_STATUSES:
            subscription_renewed(subscription=subscription, period_start=start, period_end=end)
        return "updated"


def _charge_refunded(charge: dict) -> str:
    intent = charge.get("payment_intent")
    payment = Payment.objects.filter(provider=STRIPE, provider_charge_ref=intent).first() if intent else None
    if payment is None:
        return "ignored: no such payment"
    if charge.get("amount_refunded", 0) < charge.get("amount", 0):
        return "partial refund: review by hand"
    if payment.status == Payment.Status.REFUNDED:
        return "already refunded"
    payment_refund(payment=payment, by=None, reason="Refunded in Stripe.", manual=True)
    return "refunded"


def stripe_event_apply(*, event_id: str, event_type: str, data: dict) -> str:
    """Apply a Stripe event dj-stripe has verified and processed, once per event id. Returns the outcome."""
    if event_type not in HANDLED:
        return "not handled"
    obj = data["data"]["object"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = ProviderEvent.objects.create(provider=STRIPE, event_id=event_id, event_type=event_type,
                                                     payload=data)
        except IntegrityError:
            return "duplicate"
        if event_type in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
            outcome = _session_completed(obj)
        elif event_type == "checkout.session.expired":
            payment = Payment.objects.filter(reference=obj.get("client_reference_id") or "", provider=STRIPE).first()
            outcome = payment_fail(payment_id=payment.pk, reason="Stripe Checkout expired.", expired=True).status \
                if payment else "ignored"
        elif event_type == "invoice.paid":
            outcome = _invoice_paid(obj)
        elif event_type == "invoice.payment_failed":
            outcome = _invoice_failed(obj)
        elif event_type.startswith("customer.subscription."):
            outcome = _subscription_changed(obj, deleted=event_type.endswith("deleted"))
        else:
            outcome = _charge_refunded(obj)
        event.outcome = outcome[:200]
        event.save(update_fields=["outcome"])
    return outcome


def stripe_webhook_endpoint():
    """dj-stripe's WebhookEndpoint for /api/webhooks/stripe, holding the signing secret from settings
    (DJSTRIPE_WEBHOOK_SECRET, Stripe's whsec_...). Created on first use; a changed secret replaces it."""
    from django.conf import settings
    from djstripe.models import WebhookEndpoint
    from djstripe.settings import djstripe_settings

    secret = settings.DJSTRIPE_WEBHOOK_SECRET
    endpoint = WebhookEndpoint.objects.filter(id="we_wans_api").first()
    if endpoint is not None and endpoint.secret == secret:
        return endpoint
    endpoint, _ = WebhookEndpoint.objects.update_or_create(
        id="we_wans_api",
        defaults={
            "secret": secret,
            "url": f"{settings.WANS_SITE_URL}/api/webhooks/stripe",
            "enabled_events": sorted(HANDLED),
            "status": "enabled",
            "livemode": settings.STRIPE_LIVE_MODE,
            "api_version": djstripe_settings.STRIPE_API_VERSION,
        },
    )
    return endpoint
