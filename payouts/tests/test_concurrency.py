"""Never pay twice, on Postgres (real row locks; SQLite serializes writers, so these run on Postgres only): two
workers executing the same run at once, two claims of one payout, two runs prepared at once, two callbacks at once."""

import pytest
from django.db import connection

from core.testing.payees import ledger_balanced as balanced
from core.testing.payees import ledger_transactions
from core.testing.payees import payee_bank as bank
from core.testing.payees import payee_credit as credit
from core.testing.payees import payee_wallet as wallet
from core.testing.race import race
from payouts import selectors, services
from payouts.models import Payout
from royalties import services as royalties_services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs Postgres row locks"),
]


@pytest.fixture
def approved_run(make_user, staff, approver):
    """Six payees: three on the bank, three on wallets (simulated: no callbacks scheduled outside a transaction's
    commit here, so they stay sent)."""
    for index in range(6):
        payee = royalties_services.payee_for_user(user=make_user("creator"))
        if index % 2:
            bank(payee, staff, number=f"10012345{index}")
        else:
            wallet(payee, staff, msisdn=f"7123456{index}")
        credit(payee, "PGK", 5000 + index)
    run = services.payout_run_prepare(by=staff)
    return services.payout_run_approve(run=run, by=approver)


@pytest.mark.parametrize("round_", range(3))
def test_two_workers_executing_one_run_send_each_payout_once(approved_run, round_, monkeypatch):
    from payouts.services import execution

    monkeypatch.setattr(execution, "_sandbox_answer_schedule", lambda **kwargs: None)
    results = race(*[lambda: services.payout_run_execute(run_id=approved_run.pk)] * 2)
    outcomes = sorted(result["outcome"] for result in results)
    assert outcomes == ["executed", "not claimed: executing"] or outcomes == ["executed", "not claimed: executed"], \
        results
    payouts = list(Payout.objects.filter(run=approved_run))
    assert [p.state for p in payouts] == ["sent"] * 6
    for payout in payouts:
        assert ledger_transactions().filter(kind="payout", key=f"payout:{payout.pk}:sent").count() == 1
        assert payout.transitions.count() == 1
    assert ledger_transactions().filter(kind="payout").count() == 6 and balanced()
    assert selectors.payees_owed() == {}  # every balance left for clearing


def test_two_claims_of_one_payout_send_it_once(approved_run):
    payout = approved_run.payouts.order_by("id").first()
    results = race(*[lambda: services.payout_claim(payout_id=payout.pk)] * 3)
    assert sorted(type(r).__name__ for r in results) == ["NoneType", "NoneType", "Payout"], results
    assert ledger_transactions().filter(kind="payout").count() == 1
    assert Payout.objects.get(pk=payout.pk).transitions.count() == 1 and balanced()


def test_two_runs_prepared_at_once_take_each_balance_once(make_user, staff):
    for index in range(4):
        payee = royalties_services.payee_for_user(user=make_user("creator"))
        wallet(payee, staff, msisdn=f"7200000{index}")
        credit(payee, "PGK", 6000)
    results = race(*[lambda: services.payout_run_prepare(by=staff)] * 2)
    made = Payout.objects.filter(state="pending")
    assert made.count() == 4
    assert sorted(made.values_list("payee_id", flat=True)) == sorted(set(made.values_list("payee_id", flat=True)))
    assert all(not isinstance(r, Exception) or r.code == "nothing_to_pay" for r in results), results


def test_paid_and_failed_callbacks_at_once_move_the_payout_once(approved_run, monkeypatch):
    from payouts.services import execution

    monkeypatch.setattr(execution, "_sandbox_answer_schedule", lambda **kwargs: None)
    services.payout_run_execute(run_id=approved_run.pk)
    payout = approved_run.payouts.filter(rail="digicel").order_by("id").first()
    results = race(lambda: services.payout_sandbox_resolve(payout_id=payout.pk, outcome="paid"),
                   lambda: services.payout_sandbox_resolve(payout_id=payout.pk, outcome="failed"))
    outcomes = sorted(str(r["outcome"]) if isinstance(r, dict) else str(r) for r in results)
    assert outcomes in (["None", "paid"], ["None", "failed"], ["failed", "ignored: payout is failed"],
                        ["ignored: payout is paid", "paid"]), results
    assert ledger_transactions().filter(key__startswith=f"payout:{payout.pk}:").count() == 2 and balanced()
