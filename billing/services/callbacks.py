"""Provider callbacks (webhooks): verify, record once per event id, apply. A replayed, duplicated or out-of-order
callback never credits or grants twice: the event row is unique per (provider, event id), and the payment's state
machine ignores a move it has already made."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from billing.errors import BillingInvalid, CallbackMismatch, PaymentNotFound
from billing.models import Payment, Provider, ProviderEvent
from billing.providers import provider_for
from billing.providers.registry import PNG_RAIL_CODES
from billing.providers.sandbox import sandbox_callback
from billing.services.payments import payment_confirm, payment_fail


def callback_handle(*, provider: str, body: bytes, headers) -> dict:
    """Handle a PNG rail's callback. Raises BadSignature (nothing recorded), BillingInvalid for a body not in the
    rail's shape, CallbackMismatch for an unknown reference or a wrong amount or currency (nothing recorded).
    Returns {"event_id", "outcome"}; a duplicate answers outcome "duplicate" and changes nothing."""
    adapter = provider_for(provider)
    callback = adapter.parse_callback(body=body, headers=headers)
    payment = Payment.objects.filter(reference=callback.reference, provider=provider).first()
    if payment is None or (payment.provider_ref and callback.provider_ref != payment.provider_ref):
        raise CallbackMismatch(f"No {provider} payment with reference {callback.reference!r}.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = ProviderEvent.objects.create(
                    provider=provider, event_id=callback.event_id, event_type=callback.event_type,
                    payload=callback.payload,
                )
        except IntegrityError:
            return {"event_id": callback.event_id, "outcome": "duplicate"}
        # The payment's state is read under its row lock: two different events saying "paid" at once are applied
        # by the first and recorded as ignored by the second, never both as applied.
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if callback.status == "paid":
            before = payment.status
            payment = payment_confirm(
                payment_id=payment.pk, amount_minor=callback.amount_minor, currency=callback.currency,
                fee_minor=callback.fee_minor, at=timezone.now(), provider_ref=callback.provider_ref,
            )
            applied = before in (Payment.Status.PENDING, Payment.Status.EXPIRED)
            outcome = payment.status if applied else f"ignored: payment was {before}"
        else:
            if (callback.amount_minor, callback.currency) != (payment.amount_minor, payment.currency):
                raise CallbackMismatch("The callback's amount or currency does not match the payment.")
            before = payment.status
            payment = payment_fail(
                payment_id=payment.pk, reason=f"{provider} reports the payment {callback.status}.",
                expired=callback.status == "expired",
            )
            outcome = payment.status if before == Payment.Status.PENDING else f"ignored: payment is {before}"
        event.outcome = outcome[:200]
        event.save(update_fields=["outcome"])
    return {"event_id": callback.event_id, "outcome": outcome}


def sandbox_resolve(*, payment_id: int, outcome: str) -> dict | None:
    """The sandbox's side of a simulated rail: send the callback the rail would send for `outcome` (paid, failed or
    expired), in its shape and signed with its secret, through callback_handle. No-op unless the payment is still
    pending on a simulated rail."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or payment.status != Payment.Status.PENDING or outcome not in ("paid", "failed", "expired"):
        return None
    rail = provider_for(payment.provider)
    if not getattr(rail, "simulated", False):
        return None
    body, headers = sandbox_callback(rail=rail, payment=payment, outcome=outcome)
    return callback_handle(provider=payment.provider, body=body, headers=headers)


SANDBOX_OTP = "123456"  # BSP's hosted page in the sandbox asks for this one-time code


def sandbox_page_answer(*, payment: Payment, action: str, otp: str = "") -> dict | None:
    """The payer's answer on the sandbox's hosted page (the site's page, or POST /api/transactions/<id>/sandbox for
    an API-only client): `pay` (BSP: with the one-time code) or `decline`. Only for a simulated rail; a payment that
    is no longer pending is left as it is (returns None)."""
    if payment.provider not in PNG_RAIL_CODES or not getattr(
        provider_for(payment.provider), "simulated", False
    ):
        raise PaymentNotFound()  # a real rail: its own hosted page, never ours
    if action not in ("pay", "decline"):
        raise BillingInvalid("Answer pay or decline.", fields={"action": ["pay or decline."]})
    if action == "pay" and payment.provider == Provider.BSP and otp.strip() != SANDBOX_OTP:
        raise BillingInvalid("That one-time code is wrong.", fields={"otp": ["That one-time code is wrong."]})
    return sandbox_resolve(payment_id=payment.pk, outcome="paid" if action == "pay" else "failed")
