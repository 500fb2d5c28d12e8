"""PNG rails end to end through the sandbox, their signed callbacks, duplicates and reordering, expiry, bank
transfers reconciled by staff, and refunds reversing the ledger exactly."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from billing import services
from billing.models import Entitlement, LedgerTransaction, Payment, ProviderEvent
from billing.tests.conftest import ledger_balances, post_callback, signed_callback

pytestmark = pytest.mark.django_db


def _start(api, viewer, window, provider, phone="70012345", **extra):
    answer = api(viewer).post(
        "/api/transactions/png" if provider in ("bsp", "digicel", "vodafone") else "/api/transactions",
        {"window_id": window.pk, "provider": provider, "phone": phone, **extra},
        format="json",
    )
    return answer


def test_a_full_sandbox_wallet_flow_grants_a_rental_and_posts_the_ledger(
    api, viewer, creator, film, make_window, django_capture_on_commit_callbacks
):
    window = make_window("tvod")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = _start(api, viewer, window, "digicel")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["amount"] == {"amount_minor": 1500, "currency": "PGK", "display": "PGK 15.00"}
    assert body["next_action"] == "push" and body["provider"] == "digicel"
    # the sandbox phone's answer, sent by a Celery task after a countdown; then the receipt that payment raised
    assert len(callbacks) == 2
    payment = Payment.objects.get(public_id=body["public_id"])
    assert payment.status == "paid" and payment.fee_minor == 23  # 1.5% of K15.00, rounded
    status = api(viewer).get(f"/api/transactions/{payment.public_id}").json()
    assert status["status"] == "paid" and status["granted"] is True
    rental = Entitlement.objects.get(user=viewer)
    assert (rental.kind, rental.window_id, rental.payment_id) == ("rental", window.pk, payment.pk)
    assert ProviderEvent.objects.get(provider="digicel").outcome == "paid"
    assert ledger_balances() == {
        "provider:digicel": {"PGK": 1477},
        "fees:digicel": {"PGK": 23},
        f"creator:{creator.pk}": {"PGK": -1050},
        "platform:revenue": {"PGK": -450},
    }


def test_a_declining_wallet_grants_nothing(api, viewer, make_window, django_capture_on_commit_callbacks):
    window = make_window("pvod")
    with django_capture_on_commit_callbacks(execute=True):
        answer = _start(api, viewer, window, "vodafone", phone="70012000")
    payment = Payment.objects.get(public_id=answer.json()["public_id"])
    assert payment.status == "failed"
    assert Entitlement.objects.count() == 0 and LedgerTransaction.objects.count() == 0


def test_bsp_hosted_sandbox_page_takes_the_otp(client, viewer, make_window):
    window = make_window("ppv")
    client.force_login(viewer)
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(viewer)
    body = api.post("/api/transactions/png", {"window_id": window.pk, "provider": "bsp"}, format="json").json()
    assert body["next_action"] == "redirect"
    page = body["redirect_url"].removeprefix("http://127.0.0.1:8000")
    assert page == f"/billing/sandbox/{body['public_id']}/"
    assert "123456" in client.get(page).content.decode()
    wrong = client.post(page, {"action": "pay", "otp": "000000"})
    assert "That one-time code is wrong." in wrong.content.decode()
    assert Payment.objects.get(public_id=body["public_id"]).status == "pending"
    right = client.post(page, {"action": "pay", "otp": "123456"})
    # the API's default return_url is the payment's one waiting page, the site's
    assert right.status_code == 302 and right["Location"].endswith(f"/checkout/payment/{body['public_id']}/")
    assert Payment.objects.get(public_id=body["public_id"]).status == "paid"
    assert Entitlement.objects.get(user=viewer).kind == "ticket"
    waiting = client.get(f"/billing/payments/{body['public_id']}/", follow=True)  # billing's address redirects there
    assert waiting.redirect_chain == [(f"/checkout/payment/{body['public_id']}/", 302)]
    assert "Paid" in waiting.content.decode()


def test_the_sandbox_page_falls_back_to_the_one_waiting_page(client, viewer, make_window):
    window = make_window("ppv")
    client.force_login(viewer)
    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="bsp", territory="PG",
                                               return_url="https://elsewhere.example/back")
    page = f"/billing/sandbox/{payment.public_id}/"

    right = client.post(page, {"action": "pay", "otp": "123456"})

    assert right.status_code == 302 and right["Location"] == f"/checkout/payment/{payment.public_id}/"
    assert Payment.objects.get(pk=payment.pk).status == "paid"
    settled = client.get(page).content.decode()  # no longer pending: a link back to the waiting page
    assert f'<a href="/checkout/payment/{payment.public_id}/">Back to WANS</a>' in settled


@pytest.mark.parametrize("provider", ["bsp", "digicel", "vodafone"])
def test_each_rail_accepts_only_its_own_signature(api, viewer, make_window, provider):
    window = make_window("pvod")
    payment = Payment.objects.get(public_id=_start(api, viewer, window, provider).json()["public_id"])
    body, headers = signed_callback(provider, payment=payment, secret="not-the-secret")
    bad = post_callback(api(), provider, body, headers)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_signature"
    stale_body, stale = signed_callback(provider, payment=payment, timestamp=int(timezone.now().timestamp()) - 3600)
    assert post_callback(api(), provider, stale_body, stale).status_code == 400
    missing = api().post(f"/api/webhooks/{provider}", data=body, content_type="application/json")
    assert missing.status_code == 400
    payment.refresh_from_db()
    assert payment.status == "pending" and ProviderEvent.objects.count() == 0 and Entitlement.objects.count() == 0
    body, headers = signed_callback(provider, payment=payment, fee=40)
    good = post_callback(api(), provider, body, headers)
    assert good.status_code == 200 and good.json() == {"event_id": "evt_1", "outcome": "paid"}
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.fee_minor == 40
    assert Entitlement.objects.get(user=viewer).kind == "purchase"


def test_duplicate_and_reordered_callbacks_never_credit_twice(api, viewer, creator, make_window):
    window = make_window("tvod")
    payment = Payment.objects.get(public_id=_start(api, viewer, window, "bsp").json()["public_id"])
    paid, paid_headers = signed_callback("bsp", payment=payment, event_id="evt_paid", fee=38)
    failed, failed_headers = signed_callback("bsp", payment=payment, status="failed", event_id="evt_failed")
    again, again_headers = signed_callback("bsp", payment=payment, event_id="evt_paid_again", fee=38)
    outcomes = [post_callback(api(), "bsp", *pair).json()["outcome"] for pair in
                [(paid, paid_headers), (paid, paid_headers), (failed, failed_headers), (again, again_headers)]]
    assert outcomes == ["paid", "duplicate", "ignored: payment is paid", "ignored: payment was paid"]
    assert ProviderEvent.objects.count() == 3
    assert Entitlement.objects.count() == 1 and LedgerTransaction.objects.count() == 1
    assert ledger_balances() == {
        "provider:bsp": {"PGK": 1462},
        "fees:bsp": {"PGK": 38},
        f"creator:{creator.pk}": {"PGK": -1050},
        "platform:revenue": {"PGK": -450},
    }


def test_a_failure_then_a_late_success_for_another_event_is_not_applied(api, viewer, make_window):
    window = make_window("tvod")
    payment = Payment.objects.get(public_id=_start(api, viewer, window, "digicel").json()["public_id"])
    post_callback(api(), "digicel", *signed_callback("digicel", payment=payment, status="failed", event_id="e1"))
    late = post_callback(api(), "digicel", *signed_callback("digicel", payment=payment, event_id="e2"))
    assert late.json()["outcome"] == "ignored: payment was failed"
    payment.refresh_from_db()
    assert payment.status == "failed" and Entitlement.objects.count() == 0 and LedgerTransaction.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "code"),
    [({"amount": 100}, "callback_mismatch"), ({"currency": "USD"}, "callback_mismatch")],
)
def test_amount_or_currency_mismatch_is_refused_and_nothing_recorded(api, viewer, make_window, change, code):
    window = make_window("tvod")
    payment = Payment.objects.get(public_id=_start(api, viewer, window, "bsp").json()["public_id"])
    answer = post_callback(api(), "bsp", *signed_callback("bsp", payment=payment, **change))
    assert answer.status_code == 400 and answer.json()["error"]["code"] == code
    payment.refresh_from_db()
    assert payment.status == "pending" and ProviderEvent.objects.count() == 0 and Entitlement.objects.count() == 0


def test_a_callback_naming_no_payment_or_in_another_shape_is_refused(api, viewer, make_window):
    window = make_window("tvod")
    payment = Payment.objects.get(public_id=_start(api, viewer, window, "bsp").json()["public_id"])
    payment.reference = "WNOSUCH000"
    body, headers = signed_callback("bsp", payment=payment)
    assert post_callback(api(), "bsp", body, headers).json()["error"]["code"] == "callback_mismatch"
    from billing.providers.base import hmac_header

    junk = json.dumps({"hello": "world"}).encode()
    answer = post_callback(api(), "bsp", junk, {"X-BSP-Signature": hmac_header(
        secret="bsp-sandbox-webhook-secret", body=junk)})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid"
    assert api().post("/api/webhooks/paypal", data=junk, content_type="application/json").status_code == 404
    assert ProviderEvent.objects.count() == 0


def test_unconfirmed_payments_expire_and_grant_nothing(api, viewer, make_window):
    window = make_window("tvod")
    started = _start(api, viewer, window, "vodafone", phone="70012999").json()
    payment = Payment.objects.get(public_id=started["public_id"])
    assert services.payments_expire() == 0
    assert services.payments_expire(at=timezone.now() + timedelta(minutes=31)) == 1
    payment.refresh_from_db()
    assert payment.status == "expired" and Entitlement.objects.count() == 0
    # the wallet answers after all: the money was taken, so the payment stands and grants
    late = post_callback(api(), "vodafone", *signed_callback("vodafone", payment=payment, event_id="late"))
    assert late.json()["outcome"] == "paid"
    assert Entitlement.objects.filter(user=viewer, kind="rental").count() == 1


def test_a_bank_transfer_is_reconciled_by_staff(api, viewer, staff, make_window):
    window = make_window("pvod")
    body = _start(api, viewer, window, "bank").json()
    assert body["next_action"] == "bank_transfer"
    assert body["reference"] in body["bank_instructions"] and "*131#" in body["bank_instructions"]
    payment = Payment.objects.get(public_id=body["public_id"])
    assert payment.expires_at - payment.created_at >= timedelta(hours=71)
    from billing.errors import CallbackMismatch

    with pytest.raises(CallbackMismatch):
        services.bank_transfer_reconcile(payment=payment, by=staff, amount_minor=3000, currency="PGK", bank_ref="X1")
    payment.refresh_from_db()
    assert payment.status == "pending"
    services.bank_transfer_reconcile(payment=payment, by=staff, amount_minor=3500, currency="PGK", bank_ref="BSP-99")
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.provider_ref == "BSP-99" and payment.fee_minor == 0
    assert Entitlement.objects.get(user=viewer).kind == "purchase"


def test_a_refund_reverses_exactly_and_revokes(api, viewer, staff, creator, film, make_window,
                                              django_capture_on_commit_callbacks):
    window = make_window("pvod")
    with django_capture_on_commit_callbacks(execute=True):
        payment_id = _start(api, viewer, window, "digicel").json()["id"]
    before = ledger_balances()
    assert before[f"creator:{creator.pk}"] == {"PGK": -2450}
    denied = api(viewer).post(f"/api/transactions/{payment_id}/refund", {"reason": "x"}, format="json")
    assert denied.status_code == 403
    answer = api(staff).post(f"/api/transactions/{payment_id}/refund", {"reason": "wrong film"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "refunded"
    assert ledger_balances() == {}
    refund = LedgerTransaction.objects.get(kind="refund")
    assert refund.reverses.payment_id == payment_id
    assert Entitlement.objects.get(user=viewer).revoked_at is not None
    from rights import selectors as rights_selectors

    access = rights_selectors.availability_for(film_id=film.pk, territory="PG", at=timezone.now(), user=viewer)
    assert access["access"]["granted"] is False
    again = api(staff).post(f"/api/transactions/{payment_id}/refund", {"reason": "again"}, format="json")
    assert again.status_code == 200 and LedgerTransaction.objects.filter(kind="refund").count() == 1


def test_m_paisa_refunds_only_by_hand(api, viewer, staff, make_window, django_capture_on_commit_callbacks):
    window = make_window("pvod")
    with django_capture_on_commit_callbacks(execute=True):
        payment_id = _start(api, viewer, window, "vodafone").json()["id"]
    refused = api(staff).post(f"/api/transactions/{payment_id}/refund", {"reason": "x"}, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "refund_not_allowed"
    assert Payment.objects.get(pk=payment_id).status == "paid"
    manual = api(staff).post(f"/api/transactions/{payment_id}/refund", {"reason": "x", "manual": True}, format="json")
    assert manual.json()["status"] == "refunded"


def test_history_is_own_and_staff_filter_by_user(api, viewer, staff, make_user, make_window):
    window = make_window("tvod")
    other = make_user()
    _start(api, viewer, window, "bank")
    _start(api, other, window, "bank")
    mine = api(viewer).get("/api/transactions").json()
    assert [row["user"] for row in mine["results"]] == [viewer.pk]
    theirs = api(staff).get(f"/api/transactions?user={other.pk}").json()
    assert [row["user"] for row in theirs["results"]] == [other.pk]
    assert api(staff).get("/api/transactions?user=abc").status_code == 400
    assert api().get("/api/transactions").status_code == 401


def test_bad_purchase_input_is_refused_and_nothing_recorded(api, viewer, make_window):
    window = make_window("tvod")
    svod = make_window("svod", prices={})
    cases = [
        ({"window_id": window.pk, "provider": "paypal"}, 400, "invalid"),
        ({"window_id": window.pk, "provider": "bsp", "currency": "USD"}, 400, "wrong_currency"),
        ({"window_id": 987654, "provider": "bsp"}, 400, "invalid"),
        ({"window_id": svod.pk, "provider": "bsp"}, 409, "not_for_sale"),
        ({"window_id": "x", "provider": "bsp"}, 400, "invalid"),
        ({"window_id": window.pk, "provider": "digicel", "phone": ""}, 400, "invalid"),
        ({"window_id": window.pk, "provider": "bsp", "coupon": "NOPE"}, 400, "coupon_refused"),
    ]
    for data, code, error in cases:
        answer = api(viewer).post("/api/transactions", data, format="json")
        assert (answer.status_code, answer.json()["error"]["code"]) == (code, error), data
    assert Payment.objects.exclude(status="failed").count() == 0
    assert Entitlement.objects.count() == 0


def test_a_window_withdrawn_after_a_sale_keeps_the_payment_and_ledger(api, viewer, staff, creator, make_window,
                                                                      make_film, django_capture_on_commit_callbacks):
    from rights import services as rights_services

    window = make_window("tvod")
    with django_capture_on_commit_callbacks(execute=True):
        payment_id = _start(api, viewer, window, "digicel").json()["id"]
    pending_window = make_window("pvod", on=make_film("Another"))
    pending = Payment.objects.get(public_id=_start(api, viewer, pending_window, "bsp").json()["public_id"])
    rights_services.window_delete(window=window, by=staff)
    rights_services.window_delete(window=pending_window, by=staff)
    paid = Payment.objects.get(pk=payment_id)
    assert paid.status == "paid" and paid.window_id is None and paid.film_id is not None
    assert ledger_balances()[f"creator:{creator.pk}"] == {"PGK": -1050}
    # the pending one is confirmed after its window went: refunded at once, nothing granted
    post_callback(api(), "bsp", *signed_callback("bsp", payment=pending, event_id="late"))
    pending.refresh_from_db()
    assert pending.status == "refunded" and pending.entitlements.count() == 0
    assert ledger_balances()[f"creator:{creator.pk}"] == {"PGK": -1050}
