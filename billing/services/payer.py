"""What a payer does to their own pending payment from the waiting page: give up on it, or have the wallet prompt
sent again. Both keep the money safe: a cancelled payment becomes `expired` (a confirmation that still arrives from
the rail stands, as for any late payment) and releases its coupon at once."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from billing.errors import BillingInvalid, BillingPermissionDenied, PaymentNotFound
from billing.models import Payment
from billing.providers import provider_for
from billing.providers.registry import WALLET_CODES
from billing.services.payments import payment_expiry, payment_fail, payment_simulated_answer_schedule

WALLETS = WALLET_CODES
PROMPTS_MAX = 3  # a payment waits at most three wallet periods in all: one prompt and up to two more
RESEND_AFTER_SECONDS = 20  # a prompt takes a few seconds to reach the phone: no second one before this


def _own_pending(*, payment_id: int, by) -> Payment:
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise PaymentNotFound()
    if by is None or payment.user_id != by.pk:
        raise BillingPermissionDenied("Only the payer may change this payment.")
    return payment


def payment_cancel(*, payment_id: int, by) -> Payment:
    """The payer gives up on a pending payment: nothing is granted, its coupon is released, a subscription that
    waited for it ends unpaid. A payment that is no longer pending is returned unchanged."""
    payment = _own_pending(payment_id=payment_id, by=by)
    return payment_fail(payment_id=payment.pk, reason="Cancelled by the payer.", expired=True, tell_payer=False)


def payment_prompt_resend(*, payment_id: int, by) -> Payment:
    """Ask the wallet to prompt the phone again (a prompt missed or dismissed), and wait the full time again.
    BillingInvalid if the payment is not a pending wallet payment or was prompted PROMPTS_MAX times already."""
    payment = _own_pending(payment_id=payment_id, by=by)
    if payment.status != Payment.Status.PENDING or payment.provider not in WALLETS:
        raise BillingInvalid("Only a wallet payment that is still waiting can be sent to the phone again.",
                             fields={"payment": ["Not a waiting wallet payment."]})
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != Payment.Status.PENDING:
            return locked
        now = timezone.now()
        # The expiry moves on by one period per prompt.
        last_prompt = payment_expiry(provider=locked.provider, at=locked.created_at)
        period = last_prompt - locked.created_at
        if locked.expires_at and (locked.expires_at - period) > now - timedelta(seconds=RESEND_AFTER_SECONDS):
            raise BillingInvalid("The phone was asked a moment ago: give it a few seconds.",
                                 fields={"payment": ["Prompted moments ago."]})
        if now + period > locked.created_at + period * PROMPTS_MAX:
            raise BillingInvalid("The phone has been asked enough times: cancel and choose another method.",
                                 fields={"payment": ["No more prompts."]})
        # The same reference: the rail's idempotency key.
        started = provider_for(locked.provider).initiate(payment=locked)
        payment_simulated_answer_schedule(payment_id=locked.pk, outcome=started.simulated_outcome)
        Payment.objects.filter(pk=locked.pk).update(expires_at=now + period)
    payment.refresh_from_db()
    return payment
