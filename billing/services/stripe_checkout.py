"""Stripe Checkout Sessions for subscriptions and one-time purchases, and the subscription changes we ask Stripe
for (cancel at period end, reactivate)."""

from datetime import timedelta

import stripe
from django.db import transaction
from django.utils import timezone
from djstripe.models import Customer

from billing.models import Payment, PlanPrice, Subscription
from billing.providers.stripe import api_key, call
from billing.services._state import payment_transition
from billing.services.coupons import coupon_settle
from catalog import selectors as catalog_selectors

PRODUCT_NAMES = {"tvod": "rental", "pvod": "purchase", "ppv": "ticket", "festival": "festival pass",
                 "collector": "collector edition"}


def _customer_id(user) -> str:
    """The user's Stripe customer (dj-stripe creates it through the API once, and keeps the synced row)."""
    try:
        customer, _ = Customer.get_or_create(subscriber=user)
    except stripe.StripeError as exc:
        from billing.errors import ProviderError

        raise ProviderError(f"Stripe refused the request: {exc.user_message or exc}") from exc
    return customer.id


def _stripe_coupon(payment: Payment) -> str | None:
    """Our coupon as a Stripe coupon, for a subscription (Stripe applies its duration to the invoices)."""
    coupon = payment.coupon
    trial = payment.subtotal_minor == 0 and payment.plan is not None and payment.plan.trial_days > 0
    if coupon is None or (payment.discount_minor == 0 and not trial):  # a trial's coupon is for the first invoice
        return None
    params = {"duration": coupon.duration, "name": coupon.code, "metadata": {"wans_coupon": coupon.code}}
    if coupon.duration == "repeating":
        params["duration_in_months"] = coupon.duration_months
    if coupon.kind == "percent":
        params["percent_off"] = coupon.percent_off
    else:
        fixed = coupon.amounts.filter(currency=payment.currency).first()
        off = payment.discount_minor or (fixed.amount_minor if fixed else 0)
        if not off:
            return None
        params.update(amount_off=off, currency=payment.currency.lower())
    return call(stripe.Coupon.create, **params)["id"]


def stripe_checkout_start(*, payment: Payment, return_url: str) -> Payment:
    """Create the Checkout Session for a pending payment; the viewer is redirected to its URL. Stripe's webhooks
    then confirm (checkout.session.completed, invoice.paid) or expire it (checkout.session.expired)."""
    from billing.services.checkout import _return_url

    payment.return_url = _return_url(payment, return_url)
    try:
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
        currency = payment.currency.lower()
        if payment.purpose == Payment.Purpose.SUBSCRIPTION:
            price = PlanPrice.objects.filter(plan=payment.plan, interval=payment.interval,
                                             currency=payment.currency).first()
            item = {"price": price.stripe_price_id} if price and price.stripe_price_id else {
                "price_data": {
                    "currency": currency,
                    "unit_amount": payment.subscription.amount_minor,
                    "recurring": {"interval": payment.interval},
                    "product_data": {"name": f"WANS {payment.plan.name}"},
                }
            }
            subscription_data = {"metadata": metadata}
            if payment.subtotal_minor == 0 and payment.plan.trial_days:
                subscription_data["trial_period_days"] = payment.plan.trial_days
            params.update(mode="subscription", line_items=[{**item, "quantity": 1}],
                          subscription_data=subscription_data)
            stripe_coupon = _stripe_coupon(payment)
            if stripe_coupon:
                params["discounts"] = [{"coupon": stripe_coupon}]
        else:
            film = catalog_selectors.film_get(film_id=payment.film_id)
            params.update(
                mode="payment",
                line_items=[{
                    "quantity": 1,
                    "price_data": {
                        "currency": currency,
                        "unit_amount": payment.amount_minor,
                        "product_data": {"name": f"{film.title} ({PRODUCT_NAMES[payment.window_type]})"},
                    },
                }],
                payment_intent_data={"metadata": metadata},
            )
        session = call(stripe.checkout.Session.create, **params)
    except Exception as exc:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            if locked.status == Payment.Status.PENDING:
                payment_transition(payment=locked, to=Payment.Status.FAILED, failure_reason=str(exc)[:200])
                coupon_settle(payment=locked, paid=False)
                if locked.subscription_id:
                    from billing.services.checkout import _subscription_unpaid

                    _subscription_unpaid(payment=locked)
        raise
    Payment.objects.filter(pk=payment.pk).update(
        provider_ref=session["id"], redirect_url=session["url"], next_action="redirect", return_url=payment.return_url
    )
    payment.refresh_from_db()
    return payment


def stripe_subscription_set_cancel(*, subscription: Subscription, cancel_at_period_end: bool) -> None:
    """Ask Stripe to cancel at period end (or not); its customer.subscription.updated webhook confirms."""
    if subscription.provider == "stripe" and subscription.stripe_subscription_id:
        call(stripe.Subscription.modify, id=subscription.stripe_subscription_id,
             cancel_at_period_end=cancel_at_period_end)


def stripe_subscription_cancel_now(*, subscription: Subscription) -> None:
    """End a Stripe subscription at once (its latest period was refunded): Stripe stops billing it."""
    call(stripe.Subscription.cancel, subscription_exposed_id=subscription.stripe_subscription_id)


__all__ = ["api_key", "stripe_checkout_start", "stripe_subscription_cancel_now", "stripe_subscription_set_cancel"]
