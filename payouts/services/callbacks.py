"""What the rails tell us about payouts: a wallet's signed callback (or the sandbox's, the same way), Stripe's
Connect webhook about an account, and the bank's confirmations and returns (a file staff upload, or one payout marked
by hand). Each applies through payout_outcome_apply: a payout moves from sent once, whoever says it first."""

from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from payouts.errors import CallbackMismatch, PayoutsInvalid
from payouts.models import PayeeAccount, Payout, PayoutRun, RailEvent
from payouts.rails import bank_file_adapter, disbursement_rail, stripe_connect
from payouts.rails.registry import WALLET_RAILS
from payouts.services._access import require_perm
from payouts.services.state import payout_transition

S = Payout.State
_TARGET = {"paid": S.PAID, "failed": S.FAILED, "returned": S.RETURNED}


def payout_outcome_apply(*, payout_id: int, status: str, reason: str = "", by=None, bank_ref: str = "") -> str:
    """sent -> paid, failed or returned (`status`), posting its ledger transaction. A payout that is not sent (already
    answered, or not sent yet) is left as it is: the answer says "ignored: payout is <state>". The row is locked
    before its state is read, so two answers at once apply once."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.state != S.SENT:
            return f"ignored: payout is {payout.state}"
        fields = {"bank_ref": bank_ref[:100]} if bank_ref else {}
        if status != "paid":
            fields["failure_reason"] = (reason or f"The rail reports the payout {status}.")[:300]
        payout_transition(payout_id=payout_id, to=_TARGET[status], by=by, note=reason, **fields)
    return status


def payout_callback_handle(*, rail: str, body: bytes, headers) -> dict:
    """A wallet's disbursement callback. Raises BadSignature (nothing recorded), PayoutsInvalid for a body not in the
    shape, CallbackMismatch for an unknown reference or another amount or currency (nothing recorded). Returns
    {"event_id", "outcome"}; a duplicate event answers "duplicate" and changes nothing."""
    if rail not in WALLET_RAILS:
        raise CallbackMismatch(f"{rail} sends no disbursement callbacks.")
    callback = disbursement_rail(rail).parse_callback(body=body, headers=headers)
    payout = Payout.objects.filter(reference=callback.reference, rail=rail).first()
    if payout is None or (payout.provider_ref and callback.provider_ref != payout.provider_ref):
        raise CallbackMismatch(f"No {rail} payout with reference {callback.reference!r}.")
    if (callback.amount_minor, callback.currency) != (payout.amount_minor, payout.currency):
        raise CallbackMismatch("The callback's amount or currency does not match the payout.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = RailEvent.objects.create(rail=rail, event_id=callback.event_id,
                                                 event_type=callback.event_type, payload=callback.payload)
        except IntegrityError:
            return {"event_id": callback.event_id, "outcome": "duplicate"}
        outcome = payout_outcome_apply(payout_id=payout.pk, status=callback.status, reason=callback.reason)
        event.outcome = outcome[:200]
        event.save(update_fields=["outcome"])
    return {"event_id": callback.event_id, "outcome": outcome}


def payout_sandbox_resolve(*, payout_id: int, outcome: str) -> dict | None:
    """The payouts sandbox's side of a simulated wallet: the callback the wallet would send for `outcome`, in its
    shape and signed with its secret, through payout_callback_handle. No-op unless the payout is sent on a
    simulated wallet."""
    payout = Payout.objects.filter(pk=payout_id).first()
    if payout is None or payout.state != S.SENT or payout.rail not in WALLET_RAILS or outcome not in ("paid",
                                                                                                     "failed"):
        return None
    rail = disbursement_rail(payout.rail)
    if not rail.simulated:
        return None
    body, headers = rail.sandbox_callback(payout=payout, outcome=outcome)
    return payout_callback_handle(rail=payout.rail, body=body, headers=headers)


def stripe_connect_event_apply(*, body: bytes, signature: str | None) -> dict:
    """Stripe's Connect webhook (/api/webhooks/stripe-connect): `account.updated` sets the payee account's status from
    the Stripe account (payouts.rails.stripe_connect.account_state), once per event id, never going back to an older
    state (an event created before the last one applied is recorded and ignored). Other event types are answered
    "not handled" and not recorded."""
    event = stripe_connect.connect_event_parse(body=body, signature=signature)
    if event["type"] != "account.updated":
        return {"event_id": event["id"], "outcome": "not handled"}
    obj = event["data"]["object"]
    created = datetime.fromtimestamp(int(event.get("created") or 0), tz=UTC)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = RailEvent.objects.create(rail="stripe", event_id=str(event["id"])[:200],
                                                  event_type=event["type"], payload=event)
        except IntegrityError:
            return {"event_id": event["id"], "outcome": "duplicate"}
        account = PayeeAccount.objects.select_for_update().filter(stripe_account_id=str(obj.get("id") or "")).first()
        if account is None:
            outcome = "ignored: no such account"
        elif account.stripe_state_at and created < account.stripe_state_at:
            outcome = "ignored: older than the state applied"
        else:
            status, due, note = stripe_connect.account_state(obj)
            PayeeAccount.objects.filter(pk=account.pk).update(
                status=status, stripe_requirements=due, status_note=note[:200], stripe_state_at=created,
                verified_at=timezone.now() if status == "verified" and account.status != "verified"
                else account.verified_at)
            outcome = status
        record.outcome = outcome
        record.save(update_fields=["outcome"])
    return {"event_id": event["id"], "outcome": outcome}


def payout_mark(*, payout: Payout, by, status: str, reason: str = "", bank_ref: str = "") -> str:
    """Staff record the bank's answer about one bank payout: `paid` (with the bank's reference) or `returned` (with
    the reason: the money is owed to the payee again). Wallet and Stripe payouts are answered by their rails only."""
    require_perm(by, "confirm_payoutrun")
    if payout.rail != "bank":
        raise PayoutsInvalid("Only bank payouts are confirmed by hand; the other rails answer themselves.",
                             fields={"payout": ["Not a bank payout."]})
    if status not in ("paid", "returned"):
        raise PayoutsInvalid(fields={"status": ["paid or returned."]})
    if status == "returned" and not reason.strip():
        raise PayoutsInvalid(fields={"reason": ["Give the bank's reason for the return."]})
    return payout_outcome_apply(payout_id=payout.pk, status=status, reason=reason.strip(), by=by,
                                bank_ref=bank_ref.strip())


def payout_run_confirmations_apply(*, run: PayoutRun, by, content: bytes) -> dict[str, int]:
    """The bank's confirmation file for a run (payouts.rails.bank_file: reference,PAID|RETURNED,bank_ref,reason):
    every line must name one of the run's bank payouts, else nothing is applied (PayoutsInvalid naming the lines).
    Lines already applied are counted as ignored, so the same file uploaded twice changes nothing."""
    require_perm(by, "confirm_payoutrun")
    lines = bank_file_adapter().parse_confirmation(content=content)
    if not lines:
        raise PayoutsInvalid(fields={"confirmation": ["The file holds no confirmation line."]})
    payouts = {p.reference: p for p in run.payouts.filter(rail="bank", reference__in=[c.reference for c in lines])}
    unknown = [c.reference for c in lines if c.reference not in payouts]
    if unknown:
        raise PayoutsInvalid(f"Not bank payouts of {run.reference}: {', '.join(unknown[:10])}.",
                             fields={"confirmation": [f"Unknown reference {ref}." for ref in unknown[:20]]})
    counts = {"paid": 0, "returned": 0, "ignored": 0}
    for line in lines:
        outcome = payout_outcome_apply(payout_id=payouts[line.reference].pk, status=line.status,
                                       reason=line.reason or ("" if line.status == "paid" else "Returned by the bank."),
                                       by=by, bank_ref=line.bank_ref)
        counts[outcome if outcome in counts else "ignored"] += 1
    return counts
