"""Stripe, through the stripe library and dj-stripe's synced models. Checkout Sessions take the money; Stripe's
webhooks (verified and processed by dj-stripe, then applied by billing.services.stripe_events) change every state."""

import stripe
from django.conf import settings
from djstripe.settings import djstripe_settings

from billing.errors import ProviderError
from billing.providers.base import PaymentProvider


def api_key() -> str:
    return djstripe_settings.STRIPE_SECRET_KEY


def call(fn, **params):
    """One Stripe API call with our key; Stripe's errors become ProviderError (502), nothing changed here."""
    try:
        return fn(api_key=api_key(), **params)
    except stripe.StripeError as exc:
        raise ProviderError(f"Stripe refused the request: {exc.user_message or exc}") from exc


class StripeCheckout(PaymentProvider):
    code = "stripe"
    refunds = True

    def refund(self, *, payment) -> str:
        if not payment.provider_charge_ref:
            raise ProviderError("Stripe has not told us which PaymentIntent took this payment yet.")
        refund = call(
            stripe.Refund.create,
            payment_intent=payment.provider_charge_ref,
            metadata={"wans_reference": payment.reference},
            idempotency_key=f"wans-refund-{payment.reference}",
        )
        return refund["id"]

    def fee_for(self, amount_minor: int) -> int:
        if amount_minor == 0:
            return 0
        return (amount_minor * settings.BILLING_STRIPE_FEE_BPS + 5000) // 10000 + settings.BILLING_STRIPE_FEE_FIXED


def subscription_cancel_at_period_end_set(*, subscription, cancel_at_period_end: bool) -> None:
    """Ask Stripe to cancel a subscription at its period's end (or not any more); its customer.subscription.updated
    webhook confirms. A subscription Stripe does not bill is left alone."""
    if subscription.provider == StripeCheckout.code and subscription.stripe_subscription_id:
        call(stripe.Subscription.modify, id=subscription.stripe_subscription_id,
             cancel_at_period_end=cancel_at_period_end)


def subscription_cancel_now(*, subscription) -> None:
    """End a Stripe subscription at once (its latest period was refunded): Stripe stops billing it."""
    call(stripe.Subscription.cancel, subscription_exposed_id=subscription.stripe_subscription_id)
