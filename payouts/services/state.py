"""The payout's state machine and its ledger postings: one dict of moves, one `payout_transition`.

    pending -> sent       payout       payout:<id>:sent   payee:<payee> +amount, clearing:<rail> -amount
    sent -> paid          payout_paid  payout:<id>:paid   clearing:<rail> +amount, cash:<rail> -amount
    sent -> failed        payout_back  payout:<id>:back   clearing:<rail> +amount, payee:<payee> -amount
    sent -> returned      payout_back  payout:<id>:back   (the same: the money is owed to the payee again)
    pending -> cancelled  nothing posted: nothing left

So the ledger balances at every moment, a payee's balance drops when a payout leaves and comes back when it fails or
is returned, and a step retried posts nothing twice (ledger_post is idempotent by key, and the move itself is claimed
once)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from billing.services.ledger import Line, ledger_post
from payouts.errors import InvalidTransition
from payouts.models import Payout, PayoutTransition

S = Payout.State
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.SENT, S.CANCELLED},
    S.SENT: {S.PAID, S.FAILED, S.RETURNED},
    S.PAID: set(),
    S.FAILED: set(),
    S.RETURNED: set(),
    S.CANCELLED: set(),
}
_STAMP = {S.SENT: "sent_at", S.PAID: "paid_at", S.FAILED: "ended_at", S.RETURNED: "ended_at", S.CANCELLED: "ended_at"}


def _posting(payout: Payout, to: str) -> tuple[str, str, list[Line]] | None:
    """(kind, key, lines) of the ledger transaction a move posts, or None."""
    payee, clearing, cash = f"payee:{payout.payee_id}", f"clearing:{payout.rail}", f"cash:{payout.rail}"
    amount, currency = payout.amount_minor, payout.currency
    if to == S.SENT:
        return "payout", f"payout:{payout.pk}:sent", [Line(payee, currency, amount), Line(clearing, currency, -amount)]
    if to == S.PAID:
        return "payout_paid", f"payout:{payout.pk}:paid", [Line(clearing, currency, amount),
                                                            Line(cash, currency, -amount)]
    if to in (S.FAILED, S.RETURNED):
        return "payout_back", f"payout:{payout.pk}:back", [Line(clearing, currency, amount),
                                                            Line(payee, currency, -amount)]
    return None


def payout_transition(*, payout_id: int, to: str, by=None, note: str = "", at: datetime | None = None,
                      **fields) -> Payout:
    """Move a payout to `to` if the machine allows it: lock its row, claim the move with a conditional UPDATE (state
    unchanged since it was read), write the audit row and post the move's ledger transaction, all in one database
    transaction. Raises InvalidTransition (409) otherwise, changing nothing. `fields`: other columns set with the
    move (failure_reason, bank_ref, provider_ref)."""
    at = at or timezone.now()
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        before = payout.state
        if to not in TRANSITIONS[before]:
            raise InvalidTransition(f"A payout that is {before} cannot become {to}.",
                                    extra={"from": before, "to": to, "payout": payout.reference})
        claimed = Payout.objects.filter(pk=payout_id, state=before).update(state=to, **{_STAMP[to]: at}, **fields)
        if claimed != 1:  # without row locks (SQLite), the conditional UPDATE is the claim
            raise InvalidTransition(f"The payout moved on from {before} meanwhile.", extra={"from": before, "to": to})
        PayoutTransition.objects.create(payout_id=payout_id, from_state=before, to_state=to, by=by, note=note[:300],
                                        at=at)
        posting = _posting(payout, to)
        if posting is not None:
            kind, key, lines = posting
            ledger_post(key=key, kind=kind, lines=lines, occurred_at=at,
                        memo=f"payout {payout.reference} {to} via {payout.rail}")
        payout.refresh_from_db()
    return payout
