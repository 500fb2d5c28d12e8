"""Payout services: thresholds, holds, four eyes, the state machine, and the ledger at every step (each currency sums
to zero; a paid run empties the payee's balance; a failed or returned payout restores it)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.testing.payees import ledger_balanced as balanced
from core.testing.payees import ledger_by_currency, ledger_transactions
from core.testing.payees import payee_bank as bank
from core.testing.payees import payee_credit as credit
from core.testing.payees import payee_wallet as wallet
from payouts import selectors, services
from payouts.errors import (
    FourEyesRequired,
    InvalidTransition,
    NothingToPay,
    PayoutsInvalid,
    PayoutsPermissionDenied,
    RunNotInState,
)
from payouts.models import PayeeThreshold, Payout, PayoutHold, PayoutRun
from royalties import services as royalties_services

pytestmark = pytest.mark.django_db


def run_approved(staff, approver):
    run = services.payout_run_prepare(by=staff)
    return services.payout_run_approve(run=run, by=approver)


def execute(run, by, capture):
    with capture(execute=True):
        services.payout_run_execute_request(run=run, by=by)
    run.refresh_from_db()
    return run


def test_thresholds_per_currency_and_a_payees_own(payee, staff, make_user):
    other = royalties_services.payee_for_user(user=make_user("creator"))
    wallet(payee, staff)
    wallet(other, staff, msisdn="71112222")
    credit(payee, "PGK", 5000)  # exactly K50: paid
    credit(payee, "USD", 1999)  # a cent under $20: waits
    credit(payee, "AUD", 900_000)  # no AUD threshold: not paid out
    credit(other, "PGK", 4999)
    run = services.payout_run_prepare(by=staff)
    assert [(p.payee_id, p.currency, p.amount_minor, p.rail) for p in run.payouts.all()] == [
        (payee.pk, "PGK", 5000, "digicel")]
    assert sorted((s["payee_id"], s["currency"], s["reason"]) for s in run.skipped) == [
        (payee.pk, "AUD", "no_threshold"), (payee.pk, "USD", "below_threshold"), (other.pk, "PGK", "below_threshold")]
    services.payout_run_cancel(run=run, by=staff, reason="test")
    PayeeThreshold.objects.create(payee=other, currency="PGK", amount_minor=1000)
    again = services.payout_run_prepare(by=staff)
    assert sorted((p.payee_id, p.amount_minor) for p in again.payouts.all()) == [(payee.pk, 5000), (other.pk, 4999)]


def test_no_account_an_unverified_one_or_a_rail_that_does_not_pay_the_currency_are_skipped(
        payee, staff, make_user):
    unverified = royalties_services.payee_for_user(user=make_user("creator"))
    nobody = royalties_services.payee_for_user(user=make_user("creator"))
    wallet(payee, staff)
    wallet(unverified, staff, msisdn="71112222", verify=False)
    for who in (payee, unverified, nobody):
        credit(who, "PGK", 10_000)
    credit(payee, "USD", 5000)  # a wallet pays kina only
    run = services.payout_run_prepare(by=staff)
    assert [(p.payee_id, p.currency) for p in run.payouts.all()] == [(payee.pk, "PGK")]
    assert sorted((s["payee_id"], s["currency"], s["reason"]) for s in run.skipped) == sorted([
        (payee.pk, "USD", "rail_currency"), (unverified.pk, "PGK", "unverified"), (nobody.pk, "PGK", "no_account")])


def test_nothing_to_pay_is_a_coded_refusal_that_leaves_no_run(payee, staff):
    credit(payee, "PGK", 4000)
    with pytest.raises(NothingToPay) as refused:
        services.payout_run_prepare(by=staff)
    assert refused.value.code == "nothing_to_pay" and refused.value.http_status == 409
    assert [s["reason"] for s in refused.value.extra["skipped"]] == ["below_threshold"]
    assert PayoutRun.objects.count() == 0 and Payout.objects.count() == 0


def test_a_manual_hold_keeps_a_payee_out_until_released(payee, staff, viewer):
    wallet(payee, staff)
    credit(payee, "PGK", 8000)
    with pytest.raises(PayoutsPermissionDenied):
        services.payout_hold_place(payee=payee, by=viewer, reason="no")
    with pytest.raises(PayoutsInvalid) as blank:
        services.payout_hold_place(payee=payee, by=staff, reason="  ")
    assert blank.value.fields == {"reason": ["Give the reason for the hold."]}
    hold = services.payout_hold_place(payee=payee, by=staff, reason="Tax office query")
    with pytest.raises(NothingToPay) as refused:
        services.payout_run_prepare(by=staff)
    assert refused.value.extra["skipped"][0]["reason"] == "on_hold"
    services.payout_hold_release(hold=hold, by=staff)
    assert services.payout_run_prepare(by=staff).payouts.count() == 1


def test_changing_an_account_holds_payouts_48_hours_and_emails_the_payee(
        payee, creator, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.payee_account_set(payee=payee, by=creator, kind="wallet", wallet="digicel",
                                           msisdn="71234567")
    assert first.msisdn == "+67571234567" and first.status == "pending"
    assert PayoutHold.objects.count() == 0  # a first account diverts nothing
    assert [m.to for m in mail.outbox] == [[creator.email]] and "on hold" not in mail.outbox[0].body
    services.payee_account_verify(account=first, by=staff)
    credit(payee, "PGK", 8000)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.payee_account_set(payee=payee, by=creator, kind="bank", bank="KINA",
                                            branch_code="089-001", account_number="2002 345 678",
                                            account_name="Demo  Creator")
    first.refresh_from_db()
    assert (first.active, second.active, second.account_number, second.branch_code) == (
        False, True, "2002345678", "089001")
    [hold] = PayoutHold.objects.all()
    assert hold.kind == "account_change"
    assert timedelta(hours=47, minutes=59) < hold.until - timezone.now() <= timedelta(hours=48)
    [email] = mail.outbox
    assert email.to == [creator.email] and "KINA 089001 ••••5678" in email.body and "on hold until" in email.body
    services.payee_account_verify(account=second, by=staff)
    with pytest.raises(NothingToPay) as refused:
        services.payout_run_prepare(by=staff)
    assert refused.value.extra["skipped"][0]["reason"] == "on_hold"
    later = timezone.now() + timedelta(hours=49)
    assert services.payout_run_prepare(by=staff, now=later).payouts.get().rail == "bank"


def test_account_input_is_checked_field_by_field(payee, creator, viewer):
    with pytest.raises(PayoutsInvalid) as bad_bank:
        services.payee_account_set(payee=payee, by=creator, kind="bank", bank="XYZ", branch_code="12",
                                   account_number="12ab", account_name="")
    assert sorted(bad_bank.value.fields) == ["account_name", "account_number", "bank", "branch_code"]
    with pytest.raises(PayoutsInvalid) as bad_wallet:
        services.payee_account_set(payee=payee, by=creator, kind="wallet", wallet="bmobile", msisdn="6123456")
    assert sorted(bad_wallet.value.fields) == ["msisdn", "wallet"]
    with pytest.raises(PayoutsPermissionDenied):  # someone else's payee
        services.payee_account_set(payee=payee, by=viewer, kind="wallet", wallet="digicel", msisdn="71234567")
    assert payee.payout_accounts.count() == 0


@pytest.mark.parametrize("typed, stored", [
    ("71234567", "+67571234567"), ("+675 7123 4567", "+67571234567"), ("675-7123-4567", "+67571234567"),
    ("00675 (7123) 4567", "+67571234567"), ("81234567", None), ("7123456", None), ("+61 412 345 678", None),
])
def test_png_mobile_numbers(typed, stored):
    assert services.msisdn_normalize(typed) == stored


def test_the_preparer_cannot_approve_and_nothing_changes(payee, staff, approver, creator):
    wallet(payee, staff)
    credit(payee, "PGK", 6000)
    run = services.payout_run_prepare(by=staff)
    with pytest.raises(FourEyesRequired) as refused:
        services.payout_run_approve(run=run, by=staff)
    assert (refused.value.code, refused.value.http_status) == ("four_eyes_required", 403)
    with pytest.raises(PayoutsPermissionDenied):
        services.payout_run_approve(run=run, by=creator)
    run.refresh_from_db()
    assert (run.status, run.approved_by_id) == ("prepared", None)
    approved = services.payout_run_approve(run=run, by=approver)
    assert (approved.status, approved.approved_by_id) == ("approved", approver.pk)
    with pytest.raises(RunNotInState):
        services.payout_run_approve(run=run, by=approver)


def test_a_viewer_cannot_prepare_or_execute(payee, staff, approver, viewer):
    wallet(payee, staff)
    credit(payee, "PGK", 6000)
    with pytest.raises(PayoutsPermissionDenied):
        services.payout_run_prepare(by=viewer)
    run = run_approved(staff, approver)
    with pytest.raises(PayoutsPermissionDenied):
        services.payout_run_execute_request(run=run, by=viewer)
    assert Payout.objects.get().state == "pending"


def test_a_wallet_run_pays_the_balance_to_zero_with_the_ledger_balanced_at_each_step(
        payee, staff, approver, django_capture_on_commit_callbacks, settings):
    settings.PAYOUTS_SANDBOX_DELAY_SECONDS = 0
    wallet(payee, staff)
    credit(payee, "PGK", 12_345)
    run = run_approved(staff, approver)
    assert selectors.payee_balances(payee_id=payee.pk) == {"PGK": 12_345} and balanced()
    [payout] = run.payouts.all()
    # sent, not answered yet: the money sits in clearing
    services.payout_claim(payout_id=payout.pk)
    assert selectors.payee_balances(payee_id=payee.pk) == {} and balanced()
    assert selectors.run_reconciliation(run=run)[0]["outstanding"] == {"count": 1, "amount_minor": 12_345}
    run = execute(run, approver, django_capture_on_commit_callbacks)
    payout.refresh_from_db()
    assert (run.status, payout.state, payout.provider_ref) == ("executed", "paid", f"sbx_digicel_{payout.reference}")
    assert [(t.from_state, t.to_state) for t in payout.transitions.all()] == [("pending", "sent"), ("sent", "paid")]
    assert selectors.payee_balances(payee_id=payee.pk) == {}
    assert ledger_by_currency() == {"PGK": 0}
    kinds = list(ledger_transactions().filter(key__startswith=f"payout:{payout.pk}:").order_by("id")
                 .values_list("kind", "key"))
    assert kinds == [("payout", f"payout:{payout.pk}:sent"), ("payout_paid", f"payout:{payout.pk}:paid")]
    from core.testing.payees import ledger_balances

    assert ledger_balances() == {f"creator:{payee.user_id}": {"PGK": 12_345}, "cash:digicel": {"PGK": -12_345}}
    [row] = selectors.run_reconciliation(run=run)
    assert (row["sent"], row["confirmed"], row["outstanding"]) == (
        {"count": 1, "amount_minor": 12_345}, {"count": 1, "amount_minor": 12_345}, {"count": 0, "amount_minor": 0})


def test_a_failed_wallet_payout_goes_back_to_the_balance(payee, staff, approver, django_capture_on_commit_callbacks,
                                                         settings):
    settings.PAYOUTS_SANDBOX_DELAY_SECONDS = 0
    wallet(payee, staff, msisdn="+675 7000 1000")  # the sandbox declines numbers ending 000
    credit(payee, "PGK", 7000)
    run = execute(run_approved(staff, approver), approver, django_capture_on_commit_callbacks)
    payout = run.payouts.get()
    assert (payout.state, payout.failure_reason) == ("failed", "The sandbox wallet declined (number ending 000).")
    assert selectors.payee_balances(payee_id=payee.pk) == {"PGK": 7000} and balanced()
    assert sorted(ledger_transactions().filter(kind__startswith="payout").values_list("kind", flat=True)) == [
        "payout", "payout_back"]
    [row] = selectors.run_reconciliation(run=run)
    assert (row["failed"]["amount_minor"], row["sent"]["amount_minor"], row["confirmed"]["count"]) == (7000, 7000, 0)
    assert services.payout_run_prepare(by=staff).payouts.get().amount_minor == 7000  # the next run pays it again


def test_a_returned_bank_payout_restores_the_balance(payee, staff, approver, django_capture_on_commit_callbacks):
    bank(payee, staff)
    credit(payee, "PGK", 9000)
    run = execute(run_approved(staff, approver), approver, django_capture_on_commit_callbacks)
    payout = run.payouts.get()
    assert (payout.state, run.status) == ("sent", "executed") and run.bank_file
    assert selectors.payee_balances(payee_id=payee.pk) == {} and balanced()
    with pytest.raises(PayoutsInvalid):
        services.payout_mark(payout=payout, by=staff, status="returned", reason="")
    assert services.payout_mark(payout=payout, by=staff, status="returned", reason="Account closed") == "returned"
    assert services.payout_mark(payout=payout, by=staff, status="paid") == "ignored: payout is returned"
    assert selectors.payee_balances(payee_id=payee.pk) == {"PGK": 9000} and balanced()


def test_the_state_machine_refuses_what_it_does_not_allow(payee, staff, approver):
    wallet(payee, staff)
    credit(payee, "PGK", 6000)
    payout = run_approved(staff, approver).payouts.get()
    with pytest.raises(InvalidTransition):
        services.payout_transition(payout_id=payout.pk, to="paid")  # never paid without being sent
    services.payout_transition(payout_id=payout.pk, to="sent")
    services.payout_transition(payout_id=payout.pk, to="paid")
    for to in ("sent", "failed", "returned", "cancelled", "pending"):
        with pytest.raises(InvalidTransition):
            services.payout_transition(payout_id=payout.pk, to=to)
    assert ledger_transactions().filter(kind__startswith="payout").count() == 2 and balanced()
    moves = services.TRANSITIONS
    assert moves == {"pending": {"sent", "cancelled"}, "sent": {"paid", "failed", "returned"}, "paid": set(),
                     "failed": set(), "returned": set(), "cancelled": set()}


def test_a_pending_payout_keeps_its_balance_out_of_another_run(payee, staff):
    wallet(payee, staff)
    credit(payee, "PGK", 6000)
    services.payout_run_prepare(by=staff)
    with pytest.raises(NothingToPay) as refused:
        services.payout_run_prepare(by=staff)
    assert refused.value.extra["skipped"][0]["reason"] == "pending"


def test_a_hold_or_a_smaller_balance_after_approval_cancels_the_payout_at_execution(
        payee, staff, approver, make_user, django_capture_on_commit_callbacks):
    other = royalties_services.payee_for_user(user=make_user("creator"))
    wallet(payee, staff)
    wallet(other, staff, msisdn="72223333")
    credit(payee, "PGK", 6000)
    credit(other, "PGK", 6000)
    run = run_approved(staff, approver)
    services.payout_hold_place(payee=payee, by=staff, reason="Dispute")
    credit(other, "PGK", -1000)  # a refund's adjustment after the run was prepared
    run = execute(run, approver, django_capture_on_commit_callbacks)
    assert sorted(run.payouts.values_list("payee_id", "state", "failure_reason")) == sorted([
        (payee.pk, "cancelled", "The payee's payouts went on hold after the run was prepared."),
        (other.pk, "cancelled", "The payee's balance fell below the prepared amount (a refund or adjustment since)."),
    ])
    assert run.status == "executed" and not ledger_transactions().filter(kind__startswith="payout").exists()
    assert selectors.payee_balances(payee_id=payee.pk) == {"PGK": 6000}


def test_cancelling_a_run_cancels_its_payouts_and_posts_nothing(payee, staff, approver):
    wallet(payee, staff)
    credit(payee, "PGK", 6000)
    run = run_approved(staff, approver)
    with pytest.raises(PayoutsInvalid):
        services.payout_run_cancel(run=run, by=staff, reason="")
    services.payout_run_cancel(run=run, by=staff, reason="Wrong month")
    assert run.payouts.get().state == "cancelled" and run.status == "cancelled"
    with pytest.raises(RunNotInState):
        services.payout_run_execute_request(run=run, by=staff)
    assert not ledger_transactions().filter(kind__startswith="payout").exists()


def test_executing_again_sends_nothing_twice(payee, staff, approver, django_capture_on_commit_callbacks):
    bank(payee, staff)
    credit(payee, "PGK", 6000)
    run = execute(run_approved(staff, approver), approver, django_capture_on_commit_callbacks)
    assert services.payout_run_execute(run_id=run.pk) == {"run": run.pk, "outcome": "not claimed: executed"}
    assert ledger_transactions().filter(kind="payout").count() == 1 and balanced()


def test_a_run_whose_executor_died_is_taken_over_after_the_lease(payee, staff, approver, settings):
    bank(payee, staff)
    credit(payee, "PGK", 6000)
    run = run_approved(staff, approver)
    long_ago = timezone.now() - timedelta(seconds=settings.PAYOUTS_EXECUTION_LEASE_SECONDS + 5)
    PayoutRun.objects.filter(pk=run.pk).update(status="executing", heartbeat_at=timezone.now(), executor="dead")
    assert services.payout_runs_resume()["resumed"] == []  # alive: left alone
    PayoutRun.objects.filter(pk=run.pk).update(heartbeat_at=long_ago)
    assert services.payout_runs_resume()["resumed"] == ["executed"]
    assert run.payouts.get().state == "sent" and ledger_transactions().filter(kind="payout").count() == 1


def test_the_next_payout_date_is_the_run_day(settings):
    from datetime import date

    settings.PAYOUTS_RUN_DAY = 15
    assert selectors.next_payout_date(today=date(2027, 3, 15)) == date(2027, 3, 15)
    assert selectors.next_payout_date(today=date(2027, 3, 16)) == date(2027, 4, 15)
    assert selectors.next_payout_date(today=date(2027, 12, 31)) == date(2028, 1, 15)
