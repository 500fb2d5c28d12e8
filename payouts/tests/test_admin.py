"""The admin console's runs: prepare, four eyes on the run page, execute, the bank file (its layout, in protected
storage, downloadable by staff only), the bank's confirmation, the reconciliation report, accounts and holds, and the
pending-actions list. A denied request changes nothing."""

import io

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from core.testing.payees import ledger_balanced as balanced
from core.testing.payees import ledger_transactions
from core.testing.payees import payee_bank as bank
from core.testing.payees import payee_credit as credit
from core.testing.payees import payee_wallet as wallet
from payouts import selectors, services
from payouts.models import PayeeAccount, Payout, PayoutHold, PayoutRun
from payouts.rails.bank_file import BspBankFile
from royalties import services as royalties_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_payees(payee, staff, make_user):
    other = royalties_services.payee_for_user(user=make_user("creator", display_name="Sepik Distribution"))
    bank(payee, staff)
    bank(other, staff, number="2009876543")
    credit(payee, "PGK", 9000)
    credit(other, "PGK", 12_050)
    return payee, other


def page(client, run):
    return client.get(f"/admin/payouts/payoutrun/{run.pk}/change/").content.decode()


def act(client, run, **data):
    return client.post(f"/admin/payouts/payoutrun/{run.pk}/change/", data, follow=True)


def test_prepare_review_and_four_eyes_on_the_run_page(client, two_payees, staff, approver):
    client.force_login(staff)
    answer = client.post("/admin/payouts/payoutrun/prepare/")
    run = PayoutRun.objects.get()
    assert answer["Location"] == f"/admin/payouts/payoutrun/{run.pk}/change/"
    html = page(client, run)
    assert 'id="four-eyes"' in html and 'id="approve"' not in html
    assert "PGK 210.50" in html and 'data-minor="21050"' in html  # the run's total on the bank rail
    refused = act(client, run, action="approve").content.decode()
    assert "Another member of staff must approve this run" in refused
    run.refresh_from_db()
    assert (run.status, run.approved_by) == ("prepared", None)
    client.force_login(approver)
    assert 'id="approve"' in page(client, run)
    act(client, run, action="approve")
    run.refresh_from_db()
    assert (run.status, run.approved_by) == ("approved", approver)


def test_prepare_with_nothing_due_says_why(client, payee, staff):
    credit(payee, "PGK", 100)
    client.force_login(staff)
    html = client.post("/admin/payouts/payoutrun/prepare/", follow=True).content.decode()
    assert "No payee is due a payout" in html and "The balance is below the payout threshold. (1)" in html
    assert PayoutRun.objects.count() == 0


def test_execute_writes_the_bsp_file_to_protected_storage_for_staff_to_download(
        client, two_payees, staff, approver, viewer, django_capture_on_commit_callbacks):
    payee, other = two_payees
    run = services.payout_run_approve(run=services.payout_run_prepare(by=staff), by=approver)
    client.force_login(approver)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, run, action="execute")
    run.refresh_from_db()
    first, second = run.payouts.order_by("id")
    day = f"{run.execution_started_at:%Y%m%d}"
    assert run.status == "executed" and run.bank_file == f"payouts/runs/{run.pk}/bsp-{run.reference.lower()}-{day}.csv"
    with storages["protected"].open(run.bank_file, "rb") as handle:
        stored = handle.read()
    assert stored.decode() == (
        f"H,WANS LTD,7001234567,{run.reference},{day},PGK,2,210.50\r\n"
        f"D,1,BSP,088950,1001234567,DEMO CREATOR,90.00,{first.reference},WANS ROYALTIES {run.reference}\r\n"
        f"D,2,BSP,088950,2009876543,DEMO CREATOR,120.50,{second.reference},WANS ROYALTIES {run.reference}\r\n"
        f"T,2,210.50\r\n")
    download = client.get(f"/admin/payouts/payoutrun/{run.pk}/bank-file/")
    assert download.status_code == 200 and download.content == stored
    assert download["Content-Disposition"] == f'attachment; filename="{run.bank_file.rsplit("/", 1)[1]}"'
    client.force_login(viewer)
    assert client.get(f"/admin/payouts/payoutrun/{run.pk}/bank-file/").status_code == 302  # to the admin's sign-in
    # sent, not confirmed: the money is in clearing:bank and the payees' balances are zero
    assert {p.state for p in run.payouts.all()} == {"sent"} and selectors.payees_owed() == {} and balanced()


def test_the_banks_confirmation_pays_and_returns_and_the_report_adds_up(client, two_payees, staff, approver):
    payee, other = two_payees
    run = services.payout_run_approve(run=services.payout_run_prepare(by=staff), by=approver)
    services.payout_run_execute(run_id=run.pk)
    first, second = run.payouts.order_by("id")
    client.force_login(staff)
    bad = io.BytesIO(b"reference,status,bank_ref,reason\nWPNOTOURS1,PAID,X1,\n")
    bad.name = "confirm.csv"
    html = act(client, run, action="confirm", confirmation=bad).content.decode()
    assert "Not bank payouts of" in html and {p.state for p in run.payouts.all()} == {"sent"}
    good = io.BytesIO(f"reference,status,bank_ref,reason\n{first.reference},PAID,BSP-77,\n"
                      f"{second.reference},RETURNED,BSP-78,ACCOUNT CLOSED\n".encode())
    good.name = "confirm.csv"
    html = act(client, run, action="confirm", confirmation=good).content.decode()
    assert "1 paid, 1 returned, 0 already answered" in html
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.bank_ref, second.state, second.failure_reason) == (
        "paid", "BSP-77", "returned", "ACCOUNT CLOSED")
    assert selectors.payee_balances(payee_id=payee.pk) == {}
    assert selectors.payee_balances(payee_id=other.pk) == {"PGK": 12_050} and balanced()
    [row] = selectors.run_reconciliation(run=run)
    assert (row["sent"], row["confirmed"], row["returned"], row["outstanding"]) == (
        {"count": 2, "amount_minor": 21_050}, {"count": 1, "amount_minor": 9000},
        {"count": 1, "amount_minor": 12_050}, {"count": 0, "amount_minor": 0})
    report = page(client, run)
    assert 'data-rail="bank" data-currency="PGK"' in report and "1 · PGK 90.00" in report


def test_one_bank_payout_marked_paid_by_hand(client, two_payees, staff, approver):
    run = services.payout_run_approve(run=services.payout_run_prepare(by=staff), by=approver)
    services.payout_run_execute(run_id=run.pk)
    payout = run.payouts.order_by("id").first()
    client.force_login(staff)
    act(client, run, action="paid", payout=payout.pk, bank_ref="BSP-9")
    payout.refresh_from_db()
    assert (payout.state, payout.bank_ref) == ("paid", "BSP-9")
    assert ledger_transactions().filter(kind="payout_paid").count() == 1


def test_staff_without_payout_permissions_cannot_open_or_act(client, two_payees, staff, make_user):
    run = services.payout_run_prepare(by=staff)
    outsider = make_user("viewer")
    outsider.is_staff = True
    outsider.save(update_fields=["is_staff"])
    client.force_login(outsider)
    assert client.get(f"/admin/payouts/payoutrun/{run.pk}/change/").status_code == 403
    assert client.post(f"/admin/payouts/payoutrun/{run.pk}/change/", {"action": "approve"}).status_code == 403
    assert client.post("/admin/payouts/payoutrun/prepare/").status_code in (302, 403)
    run.refresh_from_db()
    assert run.status == "prepared" and PayoutRun.objects.count() == 1


def test_accounts_are_verified_and_holds_placed_in_the_admin(client, payee, staff):
    client.force_login(staff)
    answer = client.post("/admin/payouts/payeeaccount/add/", {
        "payee": payee.pk, "kind": "wallet", "wallet": "vodafone", "msisdn": "7755 1234"})
    assert answer.status_code == 302
    account = PayeeAccount.objects.get()
    assert (account.rail, account.msisdn, account.status, account.created_by) == (
        "vodafone", "+67577551234", "pending", staff)
    bad = client.post("/admin/payouts/payeeaccount/add/", {"payee": payee.pk, "kind": "wallet", "wallet": "digicel",
                                                           "msisdn": "123"})
    assert "A PNG mobile number" in bad.content.decode() and PayeeAccount.objects.count() == 1
    client.post("/admin/payouts/payeeaccount/", {"action": "verify", "_selected_action": [account.pk]})
    account.refresh_from_db()
    assert (account.status, account.verified_by) == ("verified", staff)
    client.post("/admin/payouts/payouthold/add/", {"payee": payee.pk, "reason": "Tax query"})
    hold = PayoutHold.objects.get()
    assert hold.in_force(timezone.now()) and hold.created_by == staff
    client.post("/admin/payouts/payouthold/", {"action": "release", "_selected_action": [hold.pk]})
    hold.refresh_from_db()
    assert hold.released_by == staff


def test_a_rejected_account_needs_a_reason(client, payee, staff):
    account = wallet(payee, staff, verify=False)
    client.force_login(staff)
    asked = client.post("/admin/payouts/payeeaccount/", {"action": "reject", "_selected_action": [account.pk]})
    assert 'name="reason"' in asked.content.decode()
    account.refresh_from_db()
    assert account.status == "pending"
    client.post("/admin/payouts/payeeaccount/", {"action": "reject", "_selected_action": [account.pk],
                                                 "reason": "Name does not match"})
    account.refresh_from_db()
    assert (account.status, account.status_note) == ("rejected", "Name does not match")


def test_runs_awaiting_approval_are_pending_actions(client, two_payees, staff, approver):
    from django.core.cache import cache

    run = services.payout_run_prepare(by=staff)
    client.force_login(approver)
    html = client.get("/admin/console/pending/").content.decode()
    assert f'href="/admin/payouts/payoutrun/{run.pk}/change/"' in html and 'id="count-payout_runs">1<' in html
    cache.clear()
    assert 'id="pending-payout_runs">1<' in client.get("/admin/").content.decode()
    services.payout_run_approve(run=run, by=approver)
    assert 'id="count-payout_runs">0<' in client.get("/admin/console/pending/").content.decode()


def test_the_bsp_layout_cleans_names_and_refuses_other_currencies():
    from datetime import date

    from payouts.errors import PayoutsInvalid
    from payouts.rails.bank_file import BankLine

    adapter = BspBankFile(originator="Wans Ltd", debit_account="700-123-4567")
    line = BankLine(reference="WPABCDEFGH", bank="KINA", branch_code="089001", account_number="2002345678",
                    account_name="=cmd|' /C calc'!A0, Ōmaha & Sons", amount_minor=5, currency="PGK")
    text = adapter.render(run_reference="RUN-00001", value_date=date(2027, 2, 15), lines=[line]).decode()
    assert text.splitlines() == [
        "H,WANS LTD,7001234567,RUN-00001,20270215,PGK,1,0.05",
        "D,1,KINA,089001,2002345678,CMD /C CALC A0 MAHA & SONS,0.05,WPABCDEFGH,WANS ROYALTIES RUN-00001",
        "T,1,0.05",
    ]
    with pytest.raises(PayoutsInvalid):
        adapter.render(run_reference="RUN-1", value_date=date(2027, 2, 15),
                       lines=[BankLine(**{**line.__dict__, "currency": "USD"})])
    assert [c.status for c in adapter.parse_confirmation(content=b"WP1,paid,,\r\nWP2,RETURNED,B,closed\n")] == [
        "paid", "returned"]
    with pytest.raises(PayoutsInvalid) as refused:
        adapter.parse_confirmation(content=b"WP1,MAYBE\n")
    assert refused.value.fields == {"confirmation": ["line 1: expected reference,PAID|RETURNED,bank_ref,reason"]}


def test_payout_states_in_the_admin_list(client, two_payees, staff):
    services.payout_run_prepare(by=staff)
    client.force_login(staff)
    html = client.get("/admin/payouts/payout/").content.decode()
    assert all(p.reference in html for p in Payout.objects.all())
