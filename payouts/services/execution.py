"""Executing an approved run: each payout claimed once (pending -> sent, a conditional UPDATE under its row lock,
with its ledger posting), then handed to its rail with its reference as the idempotency key. The run itself is
claimed by one executor at a time (a conditional UPDATE; its heartbeat renewed after every payout), so two workers
given the same run never send a payout twice, and a run whose executor died is taken over after the lease."""

import hashlib
import uuid
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from payouts import selectors
from payouts.errors import RailError, RailRefused
from payouts.models import Payout, PayoutRun
from payouts.rails import bank_file_adapter, disbursement_rail
from payouts.rails.bank_file import BankLine
from payouts.rails.registry import rail_info
from payouts.services.callbacks import payout_outcome_apply
from payouts.services.state import payout_transition

S = Payout.State


def _why_not_now(payout: Payout, now) -> str:
    """Why a pending payout may not be sent now ("" if it may): what preparing checked, checked again at sending."""
    account = payout.account
    if selectors.holds_in_force(at=now, payee_ids=[payout.payee_id]).exists():
        return "The payee's payouts went on hold after the run was prepared."
    if not account.active or not account.verified:
        return "The payout account changed or lost its verification after the run was prepared."
    if not rail_info(payout.rail).enabled:
        return f"Payouts on {payout.rail} are paused (PAYOUTS_RAILS_ENABLED)."
    if selectors.payee_balances(payee_id=payout.payee_id).get(payout.currency, 0) < payout.amount_minor:
        return "The payee's balance fell below the prepared amount (a refund or adjustment since)."
    return ""


def payout_claim(*, payout_id: int) -> Payout | None:
    """pending -> sent (posting the payout to clearing), or -> cancelled if it may no longer go. Returns the payout
    now sent, or None (no longer pending: another executor has it, or it was cancelled). The row lock is taken
    before the checks, so a hold placed meanwhile is seen."""
    now = timezone.now()
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("account").filter(pk=payout_id).first()
        if payout is None or payout.state != S.PENDING:
            return None
        reason = _why_not_now(payout, now)
        if reason:
            payout_transition(payout_id=payout_id, to=S.CANCELLED, note=reason, failure_reason=reason[:300], at=now)
            return None
        return payout_transition(payout_id=payout_id, to=S.SENT, note="sent by the run's executor", at=now)


def payout_dispatch(*, payout: Payout) -> str:
    """Hand a sent payout the rail has not accepted yet to its rail (wallet or Stripe). Safe to repeat: the rail
    dedupes on the reference. Returns "submitted", "paid" (settled at once: Stripe), "failed" (refused for good:
    the money is back on the balance) or "retry" (no answer: it stays sent and the next execution asks again)."""
    rail = disbursement_rail(payout.rail)
    try:
        sent = rail.send(payout=payout)
    except RailRefused as exc:
        # through the same door as a rail's answer: a payout its callback settled meanwhile is left as it is
        return payout_outcome_apply(payout_id=payout.pk, status="failed", reason=exc.message)
    except RailError as exc:
        PayoutRun.objects.filter(pk=payout.run_id).update(last_error=f"{payout.reference}: {exc.message}"[:300])
        return "retry"
    with transaction.atomic():
        # recorded even if the rail's callback already settled it (a fast callback beats our own answer)
        Payout.objects.filter(pk=payout.pk, submitted_at__isnull=True).update(
            provider_ref=sent.provider_ref, submitted_at=timezone.now())
        if sent.settled:
            current = Payout.objects.select_for_update().get(pk=payout.pk)
            if current.state == S.SENT:
                payout_transition(payout_id=payout.pk, to=S.PAID, note=f"settled by {payout.rail} at once")
            return "paid"
        if sent.simulated_outcome is not None:
            _sandbox_answer_schedule(payout_id=payout.pk, outcome=sent.simulated_outcome)
    return "submitted"


def _sandbox_answer_schedule(*, payout_id: int, outcome: str) -> None:
    """The simulated wallet answers after PAYOUTS_SANDBOX_DELAY_SECONDS, as the real one's callback would arrive."""
    from payouts.tasks import sandbox_resolve_later  # the task calls payouts.services (Celery's idiom)

    transaction.on_commit(lambda: sandbox_resolve_later.apply_async(
        args=[payout_id, outcome], countdown=settings.PAYOUTS_SANDBOX_DELAY_SECONDS))


def bank_file_write(*, run: PayoutRun) -> str:
    """Write (or write again: the same content) the run's bank file from its bank payouts that were sent, in id
    order, to protected storage under a fixed name, and mark those payouts submitted. Returns the file's name."""
    payouts = list(run.payouts.filter(rail="bank").exclude(state__in=[S.PENDING, S.CANCELLED])
                   .select_related("account").order_by("id"))
    if not payouts:
        return ""
    adapter = bank_file_adapter()
    value_date = (run.execution_started_at or timezone.now()).date()
    content = adapter.render(run_reference=run.reference, value_date=value_date, lines=[
        BankLine(reference=p.reference, bank=p.account.bank, branch_code=p.account.branch_code,
                 account_number=p.account.account_number, account_name=p.account.account_name,
                 amount_minor=p.amount_minor, currency=p.currency) for p in payouts])
    digest = hashlib.sha256(content).hexdigest()
    name = f"payouts/runs/{run.pk}/{adapter.filename(run_reference=run.reference, value_date=value_date)}"
    if run.bank_file != name or run.bank_file_sha256 != digest:
        storage = storages["protected"]
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(content))
        PayoutRun.objects.filter(pk=run.pk).update(bank_file=name, bank_file_sha256=digest,
                                                   bank_file_at=timezone.now())
    Payout.objects.filter(pk__in=[p.pk for p in payouts], submitted_at__isnull=True).update(
        submitted_at=timezone.now())
    return name


def _beat(run_id: int, token: str) -> bool:
    """Renew the run's heartbeat; False if another executor took the run over (we stop)."""
    return PayoutRun.objects.filter(pk=run_id, executor=token).update(heartbeat_at=timezone.now()) == 1


def payout_run_execute(*, run_id: int, now=None) -> dict:
    """The task body: claim the run (approved, or executing with a heartbeat older than the lease), send every
    pending payout, hand each API payout to its rail, write the bank file; `executed` once nothing is left to send.
    Idempotent: run again, it finds nothing pending and nothing unsubmitted. Returns counts by outcome. `now`: the
    clock the lease is judged by (the sweep's)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    stale = now - timedelta(seconds=settings.PAYOUTS_EXECUTION_LEASE_SECONDS)
    claimed = PayoutRun.objects.filter(pk=run_id).filter(
        Q(status=PayoutRun.Status.APPROVED) | Q(status=PayoutRun.Status.EXECUTING, heartbeat_at__lt=stale)
    ).update(status=PayoutRun.Status.EXECUTING, executor=token, heartbeat_at=now,
             execution_started_at=Coalesce("execution_started_at", now))
    if not claimed:
        run = PayoutRun.objects.filter(pk=run_id).first()
        return {"run": run_id, "outcome": f"not claimed: {run.status if run else 'no such run'}"}
    run = PayoutRun.objects.get(pk=run_id)
    counts: Counter = Counter()
    for payout_id in run.payouts.filter(state=S.PENDING).order_by("id").values_list("id", flat=True):
        counts["sent" if payout_claim(payout_id=payout_id) else "not sent"] += 1
        if not _beat(run_id, token):
            return {"run": run_id, "outcome": "taken over", **counts}
    if bank_file_write(run=run):
        counts["bank file"] += 1
    unsubmitted = run.payouts.exclude(rail="bank").filter(state=S.SENT, submitted_at__isnull=True)
    for payout in unsubmitted.select_related("account").order_by("id"):
        counts[payout_dispatch(payout=payout)] += 1
        if not _beat(run_id, token):
            return {"run": run_id, "outcome": "taken over", **counts}
    if counts["retry"]:
        # stays executing: the beat sweep takes it over after the lease and asks the rail again
        return {"run": run_id, "outcome": "retry later", **counts}
    PayoutRun.objects.filter(pk=run_id, executor=token).update(
        status=PayoutRun.Status.EXECUTED, executed_at=timezone.now(), executor="", last_error="")
    return {"run": run_id, "outcome": "executed", **counts}
