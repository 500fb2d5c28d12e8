"""Payout runs: prepared by one member of staff, approved by another (four eyes), executed by a Celery task, swept
by beat when an executor died or a wallet never answered."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from payouts import selectors
from payouts.errors import FourEyesRequired, NothingToPay, PayoutsInvalid, RailError, RailRefused, RunNotInState
from payouts.models import PayeeAccount, Payout, PayoutRun
from payouts.rails import disbursement_rail
from payouts.services._access import require_perm
from payouts.services.callbacks import payout_outcome_apply
from payouts.services.execution import payout_run_execute
from payouts.services.state import payout_transition

R = PayoutRun.Status
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: references are read aloud and typed


def _reference() -> str:
    while True:
        reference = "WP" + "".join(secrets.choice(_ALPHABET) for _ in range(8))
        if not Payout.objects.filter(reference=reference).exists():
            return reference


def payout_run_prepare(*, by, now=None) -> PayoutRun:
    """A run awaiting approval: for each payee and currency whose balance reaches its threshold, with a verified
    active account whose rail pays that currency and no hold in force, one pending payout of the whole balance.
    Everyone else is listed in `run.skipped` with the reason. Raises NothingToPay (409, the reasons in `extra`) when
    no payout would be made. Accounts are locked in id order; the partial unique constraint (one pending payout per
    payee and currency) keeps two runs prepared at once from taking one balance twice."""
    require_perm(by, "prepare_payoutrun")
    now = now or timezone.now()
    owed = selectors.payees_owed()
    payee_ids = sorted(payee_id for payee_id, balances in owed.items() if any(v > 0 for v in balances.values()))
    names = selectors.payee_names(payee_ids=payee_ids)
    with transaction.atomic():
        accounts = {account.payee_id: account for account in PayeeAccount.objects.select_for_update().filter(
            payee_id__in=payee_ids, active=True).order_by("id")}
        held = set(selectors.holds_in_force(at=now, payee_ids=payee_ids).values_list("payee_id", flat=True))
        thresholds = selectors.thresholds_for(payee_ids=payee_ids)
        pending = set(Payout.objects.filter(state=Payout.State.PENDING, payee_id__in=payee_ids).values_list(
            "payee_id", "currency"))
        run = PayoutRun.objects.create(prepared_by=by, prepared_at=now)
        made, skipped = 0, []
        for payee_id in payee_ids:
            for currency, amount in sorted(owed[payee_id].items()):
                if amount <= 0:
                    continue
                account = accounts.get(payee_id)
                blocker = selectors.payout_blocker(
                    owed=amount, threshold=selectors.threshold_of(thresholds, payee_id, currency), account=account,
                    currency=currency, on_hold=payee_id in held, pending=(payee_id, currency) in pending)
                if blocker is None:
                    try:
                        with transaction.atomic():
                            Payout.objects.create(run=run, payee_id=payee_id, account=account, rail=account.rail,
                                                  currency=currency, amount_minor=amount, reference=_reference())
                        made += 1
                        continue
                    except IntegrityError:  # a run prepared at the same moment took it
                        blocker = "pending"
                skipped.append({"payee_id": payee_id, "payee": names.get(payee_id, f"#{payee_id}"),
                                "currency": currency, "owed_minor": amount, "reason": blocker,
                                "why": str(selectors.BLOCKERS[blocker])})
        if not made:  # raised inside the atomic block: the run row goes too
            raise NothingToPay(extra={"skipped": skipped})
        PayoutRun.objects.filter(pk=run.pk).update(skipped=skipped)
        run.skipped = skipped
    return run


def payout_run_approve(*, run: PayoutRun, by) -> PayoutRun:
    """The second pair of eyes: someone other than the preparer, holding payouts.approve_payoutrun, approves a
    prepared run (FourEyesRequired, 403, for the preparer). Nothing is sent until it is executed."""
    require_perm(by, "approve_payoutrun")
    with transaction.atomic():
        locked = PayoutRun.objects.select_for_update().get(pk=run.pk)
        if locked.prepared_by_id == by.pk:
            raise FourEyesRequired(extra={"run": locked.reference})
        if locked.status != R.PREPARED:
            raise RunNotInState(f"Only a run awaiting approval can be approved; this one is {locked.status}.",
                                extra={"status": locked.status})
        PayoutRun.objects.filter(pk=run.pk).update(status=R.APPROVED, approved_by=by, approved_at=timezone.now())
    run.refresh_from_db()
    return run


def payout_run_cancel(*, run: PayoutRun, by, reason: str) -> PayoutRun:
    """Cancel a run before it executes: its payouts are cancelled (nothing was posted; balances stay owed)."""
    require_perm(by, "prepare_payoutrun")
    if not (reason or "").strip():
        raise PayoutsInvalid(fields={"reason": ["Say why the run is cancelled."]})
    with transaction.atomic():
        locked = PayoutRun.objects.select_for_update().get(pk=run.pk)
        if locked.status not in (R.PREPARED, R.APPROVED):
            raise RunNotInState(f"A run that is {locked.status} cannot be cancelled.", extra={"status": locked.status})
        for payout_id in locked.payouts.filter(state=Payout.State.PENDING).order_by("id").values_list("id", flat=True):
            payout_transition(payout_id=payout_id, to=Payout.State.CANCELLED, by=by, note=reason.strip(),
                              failure_reason=f"Run cancelled: {reason.strip()}"[:300])
        PayoutRun.objects.filter(pk=run.pk).update(status=R.CANCELLED, cancelled_by=by, cancelled_at=timezone.now(),
                                                   last_error=reason.strip()[:300])
    run.refresh_from_db()
    return run


def payout_run_execute_request(*, run: PayoutRun, by) -> PayoutRun:
    """Start executing an approved run (payouts.execute_payoutrun): the Celery task `payouts.run_execute` takes it
    once this transaction commits. Asking again while it executes is harmless (the task claims the run)."""
    require_perm(by, "execute_payoutrun")
    if run.status not in (R.APPROVED, R.EXECUTING):
        raise RunNotInState(f"Only an approved run can be executed; this one is {run.get_status_display().lower()}.",
                            extra={"status": run.status})
    PayoutRun.objects.filter(pk=run.pk, executed_by__isnull=True).update(executed_by=by)
    _execute_later(run_id=run.pk)
    run.refresh_from_db()
    return run


def _execute_later(*, run_id: int) -> None:
    from payouts.tasks import run_execute  # the task calls payouts.services (Celery's idiom)

    transaction.on_commit(lambda: run_execute.delay(run_id))


def payout_runs_resume(*, now=None) -> dict:
    """The beat sweep: take over runs whose executor went silent past the lease (a killed worker), and ask the wallets
    about payouts they accepted but never answered for as long. Returns what it did."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.PAYOUTS_EXECUTION_LEASE_SECONDS)
    resumed = [payout_run_execute(run_id=run_id, now=now)["outcome"] for run_id in PayoutRun.objects.filter(
        status=R.EXECUTING, heartbeat_at__lt=stale).order_by("id").values_list("id", flat=True)]
    asked = 0
    silent = Payout.objects.filter(state=Payout.State.SENT, rail__in=["digicel", "vodafone"],
                                   submitted_at__lt=stale).order_by("id")
    for payout in silent.select_related("account")[:200]:
        try:
            record = disbursement_rail(payout.rail).status(payout=payout)
        except (RailError, RailRefused):  # one rail down must not stop the sweep; the next one asks again
            continue
        if record and record.get("status") in ("paid", "failed"):
            payout_outcome_apply(payout_id=payout.pk, status=record["status"],
                                 reason=str(record.get("reason") or "reported by the rail's status")[:300])
            asked += 1
    return {"resumed": resumed, "answered": asked}
