"""The Stripe gateway: the Checkout Session a pending payment is paid through (Stripe calls only; the payment row
is written by the caller, billing.services.checkout). Stripe's webhooks then confirm or expire the payment
(billing.services.stripe_events)."""

from datetime import timedelta

import stripe
from django.utils import timezone
from djstripe.models import Customer

from billing.errors import ProviderError
from billing.models import Coupon, Payment, PlanPrice
from billing.providers.base import Initiated
from billing.providers.stripe import call
from catalog import selectors as catalog_selectors

PRODUCT_NAMES = {"tvod": "rental", "pvod": "purchase", "ppv": "ticket", "festival": "festival pass",
                 "collector": "collector edition"}


def _customer_id(user) -> str:
    """The user's Stripe customer (dj-stripe creates it through the API once, and keeps the synced row)."""
    try:
        customer, _ = Customer.get_or_create(subscriber=user)
    except stripe.StripeError as exc:
        raise ProviderError(f"Stripe refused the request: {exc.user_message or exc}") from exc
    return customer.id


def _stripe_coupon(payment: Payment) -> str | None:
    """Our coupon as a Stripe coupon, for a subscription (Stripe applies its duration to the invoices)."""
    coupon = payment.coupon
    trial = payment.subtotal_minor == 0 and payment.plan is not None and payment.plan.trial_days > 0
    if coupon is None or (payment.discount_minor == 0 and not trial):  # a trial's coupon is for the first invoice
        return None
    params = {"duration": coupon.duration, "name": coupon.code, "metadata": {"wans_coupon": coupon.code}}
    if coupon.duration == Coupon.Duration.REPEATING:
        params["duration_in_months"] = coupon.duration_months
    if coupon.kind == Coupon.Kind.PERCENT:
        params["percent_off"] = coupon.percent_off
    else:
        fixed = coupon.amounts.filter(currency=payment.currency).first()
        off = payment.discount_minor or (fixed.amount_minor if fixed else 0)
        if not off:
            return None
        params.update(amount_off=off, currency=payment.currency.lower())
    return call(stripe.Coupon.create, **params)["id"]


def stripe_session_start(*, payment: Payment) -> Initiated:
    """Create the Checkout Session for a pending payment (its return_url set); the payer is redirected to its URL.
    Raises ProviderError when Stripe refuses."""
    session = call(stripe.checkout.Session.create, **_session_params(payment))
    return Initiated(provider_ref=session["id"], next_action="redirect", redirect_url=session["url"])


def _session_params(payment: Payment) -> dict:
    metadata = {"wans_reference": payment.reference, "wans_payment_id": str(payment.pk)}
    params = {
        "customer": _customer_id(payment.user),
        "client_reference_id": payment.reference,
        "metadata": metadata,
        "success_url": payment.return_url,
        "cancel_url": payment.return_url,
        # Stripe accepts 30 minutes to 24 hours.
        "expires_at": int(max(payment.expires_at, timezone.now() + timedelta(minutes=31)).timestamp()),
        "idempotency_key": f"wans-checkout-{payment.reference}",
    }
    if payment.purpose == Payment.Purpose.SUBSCRIPTION:
        params.update(_subscription_params(payment, metadata))
    else:
        params.update(_purchase_params(payment, metadata))
    return params


def _subscription_params(payment: Payment, metadata: dict) -> dict:
    price = PlanPrice.objects.filter(plan=payment.plan, interval=payment.interval, currency=payment.currency).first()
    item = {"price": price.stripe_price_id} if price and price.stripe_price_id else {
        "price_data": {
            "currency": payment.currency.lower(),
            "unit_amount": payment.subscription.amount_minor,
            "recurring": {"interval": payment.interval},
            "product_data": {"name": f"WANS {payment.plan.name}"},
        }
    }
    subscription_data = {"metadata": metadata}
    if payment.subtotal_minor == 0 and payment.plan.trial_days:
        subscription_data["trial_period_days"] = payment.plan.trial_days
    params = {"mode": "subscription", "line_items": [{**item, "quantity": 1}], "subscription_data": subscription_data}
    stripe_coupon = _stripe_coupon(payment)
    if stripe_coupon:
        params["discounts"] = [{"coupon": stripe_coupon}]
    return params


def _purchase_params(payment: Payment, metadata: dict) -> dict:
    film = catalog_selectors.film_get(film_id=payment.film_id)
    return {
        "mode": "payment",
        "line_items": [{
            "quantity": 1,
            "price_data": {
                "currency": payment.currency.lower(),
                "unit_amount": payment.amount_minor,
                "product_data": {"name": f"{film.title} ({PRODUCT_NAMES[payment.window_type]})"},
            },
        }],
        "payment_intent_data": {"metadata": metadata},
    }
