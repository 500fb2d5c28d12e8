"""Stripe Connect for payees abroad, against the local fake of Stripe's API (billing/tests/fake_stripe.py) in Stripe's
request and response shapes: an Express account and its onboarding link, the Connect webhook (Stripe's signature
scheme; a wrong or stale signature changes nothing), and payouts as transfers with an Idempotency-Key."""

import json
import time

import pytest
import stripe
from django.conf import settings

from core.testing.fake_stripe import FakeStripe, event, stripe_signature
from core.testing.payees import ledger_balanced as balanced
from core.testing.payees import ledger_transactions
from core.testing.payees import payee_credit as credit
from payouts import selectors, services
from payouts.errors import PayoutsInvalid
from payouts.models import PayeeAccount, RailEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(monkeypatch):
    server = FakeStripe().start()
    monkeypatch.setattr(stripe, "api_base", server.url)
    yield server
    server.stop()


def start(payee, by, country="AU"):
    return services.payee_account_stripe_start(payee=payee, by=by, country=country,
                                               refresh_url="http://testserver/studio/payouts/stripe/refresh/",
                                               return_url="http://testserver/studio/payouts/")


def deliver(client, payload: dict, *, secret=None, timestamp=None):
    body = json.dumps(payload).encode()
    signature = stripe_signature(body, secret or settings.PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET, timestamp)
    return client.post("/api/webhooks/stripe-connect", data=body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature)


def onboarded(client, fake, account: PayeeAccount, **extra):
    payload = event("account.updated", fake.account_onboarded(account.stripe_account_id))
    payload.update(account=account.stripe_account_id, **extra)
    return deliver(client, payload)


def test_an_express_account_is_created_and_onboarded_through_an_account_link(payee, creator, fake):
    account, url = start(payee, creator)
    [created] = fake.calls("POST", "/v1/accounts")
    assert created["params"] == {
        "type": "express", "country": "AU", "email": creator.email,
        "capabilities": {"transfers": {"requested": "true"}},
        "tos_acceptance": {"service_agreement": "recipient"},
        "metadata": {"wans_payee": str(payee.pk), "wans_account": str(account.pk)},
    }
    assert created["idempotency_key"] == f"wans-payee-account-{account.pk}"
    assert created["auth"] == f"Bearer {settings.STRIPE_TEST_SECRET_KEY}"
    account.refresh_from_db()
    assert account.stripe_account_id.startswith("acct_") and account.status == "onboarding"
    [link] = fake.calls("POST", "/v1/account_links")
    assert link["params"] == {"account": account.stripe_account_id, "type": "account_onboarding",
                              "refresh_url": "http://testserver/studio/payouts/stripe/refresh/",
                              "return_url": "http://testserver/studio/payouts/"}
    assert url.startswith(f"https://connect.stripe.com/setup/e/{account.stripe_account_id}/")
    # a new link for the same account (the first expired): no second Stripe account
    again = services.payee_account_stripe_link(account=account, by=creator, refresh_url="http://r", return_url="http://t")
    assert again != url and len(fake.calls("POST", "/v1/accounts")) == 1


def test_payees_in_png_or_an_unsupported_country_are_refused(payee, creator, fake):
    for country, field in (("PG", "Payees in Papua New Guinea are paid to a bank account or wallet."),
                           ("FJ", "Stripe payouts go to: " + ", ".join(settings.PAYOUTS_STRIPE_COUNTRIES) + ".")):
        with pytest.raises(PayoutsInvalid) as refused:
            start(payee, creator, country=country)
        assert refused.value.fields == {"country": [field]}
    assert fake.requests == [] and PayeeAccount.objects.count() == 0


def test_the_connect_webhook_verifies_the_account_once_with_stripes_signature(client, payee, creator, fake):
    account, _ = start(payee, creator)
    account.refresh_from_db()
    payload = event("account.updated", fake.account_onboarded(account.stripe_account_id))
    payload["account"] = account.stripe_account_id
    bad = deliver(client, payload, secret="whsec_wrong")
    stale = deliver(client, payload, timestamp=int(time.time()) - 3600)
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "bad_signature")
    assert stale.status_code == 400 and RailEvent.objects.count() == 0
    account.refresh_from_db()
    assert account.status == "onboarding"
    good = deliver(client, payload)
    assert good.json() == {"event_id": payload["id"], "outcome": "verified"}
    assert deliver(client, payload).json()["outcome"] == "duplicate"
    account.refresh_from_db()
    assert (account.status, account.stripe_requirements) == ("verified", [])
    # an older event arriving late does not take the account back to onboarding
    older = event("account.updated", {**fake.objects[account.stripe_account_id],
                                      "capabilities": {"transfers": "inactive"}, "payouts_enabled": False})
    older["created"] = payload["created"] - 60
    assert deliver(client, older).json()["outcome"] == "ignored: older than the state applied"
    account.refresh_from_db()
    assert account.status == "verified"


def test_a_stripe_account_with_requirements_due_stays_onboarding(client, payee, creator, fake):
    account, _ = start(payee, creator)
    account.refresh_from_db()
    answer = deliver(client, event("account.updated", fake.objects[account.stripe_account_id]))
    assert answer.json()["outcome"] == "onboarding"
    account.refresh_from_db()
    assert "external_account" in account.stripe_requirements


def test_a_usd_balance_is_paid_by_a_transfer_with_an_idempotency_key(client, payee, creator, staff, approver, fake):
    account, _ = start(payee, creator)
    account.refresh_from_db()
    onboarded(client, fake, account)
    credit(payee, "USD", 4321)
    run = services.payout_run_prepare(by=staff)
    services.payout_run_approve(run=run, by=approver)
    assert services.payout_run_execute(run_id=run.pk)["outcome"] == "executed"
    payout = run.payouts.get()
    [transfer] = fake.calls("POST", "/v1/transfers")
    assert transfer["params"] == {
        "amount": "4321", "currency": "usd", "destination": account.stripe_account_id,
        "transfer_group": f"wans-run-{run.pk}", "description": f"WANS payout {payout.reference}",
        "metadata": {"wans_payout": payout.reference},
    }
    assert transfer["idempotency_key"] == f"wans-payout-{payout.reference}"
    assert payout.state == "paid" and payout.provider_ref.startswith("tr_")
    assert selectors.payee_balances(payee_id=payee.pk) == {} and balanced()
    from core.testing.payees import ledger_balances

    assert ledger_balances()["cash:stripe"] == {"USD": -4321} and "clearing:stripe" not in ledger_balances()
    # sent again (a retry that lost Stripe's answer): Stripe replays the same transfer, nothing moves twice
    assert services.payout_dispatch(payout=payout) == "paid"
    assert len(fake.calls("POST", "/v1/transfers")) == 2
    assert len([o for o in fake.objects.values() if o.get("object") == "transfer"]) == 1
    assert fake.balance["usd"] == 10**9 - 4321
    assert ledger_transactions().filter(kind__in=["payout", "payout_paid"]).count() == 2


def test_a_transfer_stripe_refuses_fails_and_goes_back_to_the_balance(client, payee, creator, staff, approver, fake):
    account, _ = start(payee, creator)
    account.refresh_from_db()
    onboarded(client, fake, account)
    fake.balance["usd"] = 100  # the platform's Stripe balance cannot cover it
    credit(payee, "USD", 2500)
    run = services.payout_run_prepare(by=staff)
    services.payout_run_approve(run=run, by=approver)
    services.payout_run_execute(run_id=run.pk)
    payout = run.payouts.get()
    assert payout.state == "failed" and payout.failure_reason.startswith("Stripe refused: You have insufficient")
    assert selectors.payee_balances(payee_id=payee.pk) == {"USD": 2500} and balanced()
