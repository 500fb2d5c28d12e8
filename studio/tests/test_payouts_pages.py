"""The portal's Payouts: the balance per currency and why it is (or is not) in the next run, the next payout date,
the history, and the payout account form (the creator's own; a change holds payouts for 48 hours and emails them).
Another payee's payout answers 404; a teammate reads but never changes the account."""

import json

import pytest
import stripe
from django.apps import apps
from django.core import mail

from accounts import services as accounts_services
from core.testing.fake_stripe import FakeStripe
from core.testing.payees import payee_credit as credit
from core.testing.payees import payee_wallet as wallet
from payouts import services as payouts_services
from royalties import services as royalties_services

pytestmark = pytest.mark.django_db
PayeeAccount = apps.get_model("payouts", "PayeeAccount")
PayoutHold = apps.get_model("payouts", "PayoutHold")


@pytest.fixture
def payee(creator):
    return royalties_services.payee_for_user(user=creator)


@pytest.fixture
def signed_in(client, creator):
    client.force_login(creator)
    return client


def test_the_balance_threshold_and_next_payout_date(signed_in, payee, staff, settings):
    settings.PAYOUTS_RUN_DAY = 15
    wallet(payee, staff)
    credit(payee, "PGK", 12_345)
    credit(payee, "USD", 1500)
    html = signed_in.get("/studio/payouts/").content.decode()
    assert "PGK 123.45" in html and "PGK 50.00" in html and "USD 15.00" in html and "USD 20.00" in html
    assert "In the run of" in html  # kina: due
    assert "The balance is below the payout threshold." in html  # dollars: not yet
    assert "Digicel CellMoni ••••4567" in html and "Next payout run:" in html
    revenue = signed_in.get("/studio/revenue/").content.decode()
    assert 'id="payouts-title"' in revenue and "PGK 123.45" in revenue


def test_nothing_owed_yet(signed_in):
    html = signed_in.get("/studio/payouts/").content.decode()
    assert 'id="payouts-nothing"' in html and "No payouts yet." in html


def test_the_creator_adds_a_wallet_and_a_change_holds_and_emails(signed_in, creator, staff,
                                                                django_capture_on_commit_callbacks):
    bad = signed_in.post("/studio/payouts/account/", {"kind": "wallet", "wallet": "digicel", "msisdn": "123"})
    assert bad.status_code == 400 and "A PNG mobile number" in bad.content.decode()
    assert PayeeAccount.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        first = signed_in.post("/studio/payouts/account/", {"kind": "wallet", "wallet": "digicel",
                                                            "msisdn": "+675 7123 4567"})
    assert first["Location"] == "/studio/payouts/"
    account = PayeeAccount.objects.get()
    assert (account.payee.user, account.msisdn, account.status, account.created_by) == (
        creator, "+67571234567", "pending", creator)
    assert PayoutHold.objects.count() == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post("/studio/payouts/account/", {"kind": "bank", "bank": "BSP", "branch_code": "088950",
                                                    "account_number": "1001234567", "account_name": "Demo Creator"})
    assert PayeeAccount.objects.get(active=True).kind == "bank"
    assert PayoutHold.objects.get().kind == "account_change"
    assert [m.to for m in mail.outbox] == [[creator.email]]
    html = signed_in.get("/studio/payouts/").content.decode()
    assert 'id="payout-hold"' in html and "BSP 088950 ••••4567" in html


def test_another_payees_payout_is_not_found(client, signed_in, payee, staff, make_user):
    other_user = make_user("creator")
    other = royalties_services.payee_for_user(user=other_user)
    wallet(payee, staff)
    wallet(other, staff, msisdn="72223333")
    credit(payee, "PGK", 6000)
    credit(other, "PGK", 7000)
    run = payouts_services.payout_run_prepare(by=staff)
    mine = run.payouts.get(payee=payee)
    theirs = run.payouts.get(payee=other)
    page = signed_in.get(f"/studio/payouts/{mine.pk}/")
    assert page.status_code == 200 and "PGK 60.00" in page.content.decode()
    assert signed_in.get(f"/studio/payouts/{theirs.pk}/").status_code == 404
    assert signed_in.get("/studio/payouts/999999/").status_code == 404
    history = signed_in.get("/studio/payouts/").content.decode()
    assert mine.reference in history and theirs.reference not in history


def test_a_teammate_analyst_reads_payouts_but_cannot_change_the_account(client, creator, payee, make_user, staff):
    wallet(payee, staff)
    credit(payee, "PGK", 6000)
    analyst = make_user("viewer")
    accounts_services.team_invite(creator=creator, by=creator, email=analyst.email, role="analyst")
    client.force_login(analyst)
    assert "PGK 60.00" in client.get("/studio/payouts/").content.decode()
    assert client.get("/studio/payouts/account/").status_code == 404
    assert client.post("/studio/payouts/account/", {"kind": "wallet", "wallet": "digicel",
                                                    "msisdn": "79999999"}).status_code == 404
    assert PayeeAccount.objects.filter(active=True).get().msisdn == "+67571234567"


def test_someone_who_is_no_creator_gets_no_payouts_page(client, viewer):
    client.force_login(viewer)
    assert client.get("/studio/payouts/")["Location"] == "/studio/apply/"
    client.logout()
    assert "/accounts/login/" in client.get("/studio/payouts/")["Location"]


def test_a_creator_abroad_is_sent_to_stripes_onboarding(signed_in, monkeypatch):
    fake = FakeStripe().start()
    monkeypatch.setattr(stripe, "api_base", fake.url)
    try:
        answer = signed_in.post("/studio/payouts/account/", {"kind": "stripe", "country": "NZ"})
        account = PayeeAccount.objects.get()
        assert answer.status_code == 302
        assert answer["Location"].startswith(f"https://connect.stripe.com/setup/e/{account.stripe_account_id}/")
        [link] = fake.calls("POST", "/v1/account_links")
        assert link["params"]["return_url"] == "http://testserver/studio/payouts/"
        assert link["params"]["refresh_url"] == "http://testserver/studio/payouts/stripe/refresh/"
        again = signed_in.get("/studio/payouts/stripe/refresh/")
        assert again["Location"].startswith("https://connect.stripe.com/setup/e/") and again["Location"] != answer[
            "Location"]
        html = signed_in.get("/studio/payouts/").content.decode()
        assert "Onboarding with Stripe" in html and "Continue with Stripe" in html
        refused = signed_in.post("/studio/payouts/account/", {"kind": "stripe", "country": "PG"})  # not offered
        assert refused.status_code == 400 and PayeeAccount.objects.count() == 1
    finally:
        fake.stop()
    assert json.loads(json.dumps(account.stripe_requirements)) == []
