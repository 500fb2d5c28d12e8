"""seed_demo's payouts: creator@wans.demo gets a verified wallet and a run awaits approval by a second member of
staff; run again, nothing is added; approved and executed on the sandbox, the demo payee's balance reaches zero."""

from datetime import UTC, datetime

import pytest
from django.utils.module_loading import import_string

from accounts import selectors as accounts_selectors
from billing.services.ledger import Line, ledger_post
from core.testing.payees import ledger_balanced, ledger_transactions
from payouts import demo, selectors, services
from payouts.models import PayoutRun
from royalties import selectors as royalties_selectors

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_a_run_awaiting_a_second_pair_of_eyes(settings, django_capture_on_commit_callbacks):
    settings.PAYOUTS_SANDBOX_DELAY_SECONDS = 0
    import_string("accounts.demo.seed")()
    creator = accounts_selectors.user_by_email(email="creator@wans.demo")
    # what billing posts for the demo's sales (studio's figures seeder): the creator's share of a sale in each currency
    for currency, share in (("PGK", 123_450), ("USD", 4_567)):
        ledger_post(key=f"test-sale:{currency}", kind="payment", occurred_at=datetime(2027, 1, 5, tzinfo=UTC),
                    lines=[Line("provider:sandbox", currency, share), Line(f"creator:{creator.pk}", currency, -share)])
    lines = demo.seed()
    payee = royalties_selectors.payee_for_user_get(user_id=creator.pk)
    run = PayoutRun.objects.get()
    assert lines == [
        "creator@wans.demo is paid to Digicel CellMoni ••••3456 (verified)",
        "allocated the demo creator's balance to their payee: PGK 1,234.50, USD 45.67",
        f"payout run {run.reference} awaiting approval (PGK 1,234.50 by digicel), prepared by admin@wans.demo: "
        "finance@wans.demo approves and executes it in the admin",
    ]
    assert selectors.payee_balances(payee_id=payee.pk) == {"PGK": 123_450, "USD": 4_567}
    assert [(s["currency"], s["reason"]) for s in run.skipped] == [("USD", "rail_currency")]
    again = demo.seed()
    assert again[1] == "payee balances from royalties: kept as they are" and PayoutRun.objects.count() == 1
    assert ledger_transactions().filter(kind="royalty").count() == 1
    finance = accounts_selectors.user_by_email(email="finance@wans.demo")
    services.payout_run_approve(run=run, by=finance)
    with django_capture_on_commit_callbacks(execute=True):
        services.payout_run_execute_request(run=run, by=finance)
    assert run.payouts.get().state == "paid"
    assert selectors.payee_balances(payee_id=payee.pk) == {"USD": 4_567} and ledger_balanced()
    # paid out, seeded again: no second allocation, and nothing due in kina
    assert demo.seed()[-1].startswith("no payout run: nobody is due a payout")
