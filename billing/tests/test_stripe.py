"""Stripe through dj-stripe: Checkout Sessions created against a local fake of Stripe's API (requests recorded and
asserted), and webhooks signed exactly as Stripe signs them, processed by dj-stripe's real path (signature check,
Event, objects synced back from the API) and then applied by billing once."""

import json
import time

import pytest
import stripe
from django.conf import settings

from billing.models import Entitlement, LedgerTransaction, Payment, ProviderEvent, Subscription
from billing.tests.conftest import ledger_balances
from core.testing.fake_stripe import FakeStripe, event, new_id, stripe_signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(monkeypatch):
    server = FakeStripe().start()
    monkeypatch.setattr(stripe, "api_base", server.url)
    yield server
    server.stop()


def deliver(client, payload: dict, secret: str | None = None, timestamp: int | None = None):
    body = json.dumps(payload).encode()
    signature = stripe_signature(body, secret or settings.DJSTRIPE_WEBHOOK_SECRET, timestamp)
    return client.post("/api/webhooks/stripe", data=body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature)


def complete_payment_session(fake, session_id: str, amount: int, currency: str) -> dict:
    """What Stripe holds once the payer has paid a payment-mode session."""
    session = fake.objects[session_id]
    charge_id, intent_id = new_id("ch"), new_id("pi")
    fake.put({"id": intent_id, "object": "payment_intent", "amount": amount, "amount_received": amount,
              "currency": currency, "status": "succeeded", "customer": session["customer"],
              "latest_charge": charge_id, "payment_method": None, "capture_method": "automatic",
              "confirmation_method": "automatic", "payment_method_types": ["card"],
              "metadata": session["metadata"]})
    fake.put({"id": charge_id, "object": "charge", "amount": amount, "amount_refunded": 0, "currency": currency,
              "customer": session["customer"], "payment_intent": intent_id, "paid": True, "captured": True,
              "refunded": False, "status": "succeeded", "balance_transaction": None, "payment_method": None,
              "billing_details": {}, "outcome": None, "fraud_details": {}, "refunds": {"object": "list",
                                                                                     "data": []}})
    session.update(status="complete", payment_status="paid", amount_total=amount, amount_subtotal=amount,
                   currency=currency, payment_intent=intent_id)
    return session


def test_a_purchase_through_stripe_checkout_and_its_webhook(api, viewer, creator, staff, film, make_window, fake):
    window = make_window("tvod")
    answer = api(viewer).post("/api/transactions", {"window_id": window.pk, "provider": "stripe"}, format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    session_id = Payment.objects.get(pk=body["id"]).provider_ref
    assert body["next_action"] == "redirect"
    assert body["redirect_url"] == f"https://checkout.stripe.com/c/pay/{session_id}"
    [customer_call] = fake.calls("POST", "/v1/customers")
    assert customer_call["params"]["email"] == viewer.email
    [session_call] = fake.calls("POST", "/v1/checkout/sessions")
    params = session_call["params"]
    assert session_call["auth"] == f"Bearer {settings.STRIPE_TEST_SECRET_KEY}"
    assert params["mode"] == "payment" and params["client_reference_id"] == body["reference"]
    assert params["line_items"] == [{"quantity": "1", "price_data": {
        "currency": "pgk", "unit_amount": "1500", "product_data": {"name": "Kokoda Dawn (rental)"}}}]
    assert params["metadata"]["wans_reference"] == body["reference"]
    assert Entitlement.objects.count() == 0

    session = complete_payment_session(fake, session_id, 1500, "pgk")
    payload = event("checkout.session.completed", session)
    bad = deliver(api(), payload, secret="whsec_wrong")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_signature"
    stale = deliver(api(), payload, timestamp=int(time.time()) - 3600)
    assert stale.status_code == 400
    assert Payment.objects.get(pk=body["id"]).status == "pending" and ProviderEvent.objects.count() == 0

    good = deliver(api(), payload)
    assert good.status_code == 200, good.content
    assert good.json() == {"event_id": payload["id"], "outcome": "paid"}
    from djstripe.models import Event as StripeEvent
    from djstripe.models import Session as StripeSession

    assert StripeEvent.objects.filter(id=payload["id"], type="checkout.session.completed").exists()
    assert StripeSession.objects.filter(id=session_id).exists()  # synced back from the API by dj-stripe
    assert fake.calls("GET", f"/v1/checkout/sessions/{session_id}")
    payment = Payment.objects.get(pk=body["id"])
    assert (payment.status, payment.fee_minor) == ("paid", 74)  # 2.9 % + 30 toea
    assert payment.provider_charge_ref == session["payment_intent"]
    assert Entitlement.objects.get(user=viewer).kind == "rental"
    expected = {
        "provider:stripe": {"PGK": 1426}, "fees:stripe": {"PGK": 74},
        f"creator:{creator.pk}": {"PGK": -1050}, "platform:revenue": {"PGK": -450},
    }
    assert ledger_balances() == expected
    assert deliver(api(), payload).json()["outcome"] == "duplicate"
    assert ledger_balances() == expected and Entitlement.objects.count() == 1

    refund = api(staff).post(f"/api/transactions/{payment.pk}/refund", {"reason": "double charge"}, format="json")
    assert refund.status_code == 200 and refund.json()["status"] == "refunded"
    [refund_call] = fake.calls("POST", "/v1/refunds")
    assert refund_call["params"]["payment_intent"] == session["payment_intent"]
    assert ledger_balances() == {}
    charge = fake.objects[session and fake.objects[session["payment_intent"]]["latest_charge"]]
    charge.update(amount_refunded=1500, refunded=True)
    assert deliver(api(), event("charge.refunded", charge)).json()["outcome"] == "already refunded"
    assert LedgerTransaction.objects.filter(kind="refund").count() == 1


def stripe_subscription(fake, session: dict, *, amount: int, currency: str, start: int, end: int) -> dict:
    """What Stripe holds once the payer has paid a subscription-mode session: product, price, subscription."""
    product = fake.put({"id": new_id("prod"), "object": "product", "name": "WANS Standard", "active": True,
                        "type": "service"})
    price = fake.put({"id": new_id("price"), "object": "price", "active": True, "currency": currency,
                      "unit_amount": amount, "type": "recurring", "product": product["id"],
                      "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
                      "billing_scheme": "per_unit"})
    sub_id = new_id("sub")
    subscription = fake.put({
        "id": sub_id, "object": "subscription", "customer": session["customer"], "status": "active",
        "cancel_at_period_end": False, "currency": currency, "start_date": start, "billing_cycle_anchor": start,
        "collection_method": "charge_automatically", "metadata": session["metadata"],
        "items": {"object": "list", "data": [{
            "id": new_id("si"), "object": "subscription_item", "subscription": sub_id, "quantity": 1,
            "price": price, "current_period_start": start, "current_period_end": end, "metadata": {},
            "created": start,
        }], "has_more": False},
    })
    session.update(status="complete", payment_status="paid", amount_total=amount, amount_subtotal=amount,
                   currency=currency, subscription=sub_id)
    return subscription


def stripe_invoice(fake, subscription: dict, *, amount: int, start: int, end: int, reason: str) -> dict:
    invoice_id, intent_id = new_id("in"), new_id("pi")
    fake.put({"id": new_id("inpay"), "object": "invoice_payment", "invoice": invoice_id, "is_default": True,
              "status": "paid", "amount_paid": amount, "payment": {"type": "payment_intent",
                                                                   "payment_intent": intent_id}})
    return fake.put({
        "id": invoice_id, "object": "invoice", "customer": subscription["customer"], "status": "paid",
        "amount_paid": amount, "amount_due": amount, "subtotal": amount, "total": amount,
        "currency": subscription["currency"], "billing_reason": reason, "paid": True,
        "parent": {"type": "subscription_details", "subscription_details": {
            "subscription": subscription["id"], "metadata": subscription["metadata"]}},
        "lines": {"object": "list", "data": [{"id": new_id("il"), "object": "line_item", "amount": amount,
                                              "period": {"start": start, "end": end}}], "has_more": False},
        "period_start": start, "period_end": end,
    })


def test_a_stripe_subscription_renews_fails_into_grace_and_refunds_the_right_invoice(api, make_user, staff, fake):
    viewer = make_user()
    answer = api(viewer).post("/api/subscriptions", {"plan": "basic", "provider": "stripe"}, format="json")
    assert answer.status_code == 201, answer.json()
    first = Payment.objects.get(pk=answer.json()["id"])
    assert (first.amount_minor, first.currency) == (3500, "PGK")
    [session_call] = fake.calls("POST", "/v1/checkout/sessions")
    assert session_call["params"]["mode"] == "subscription"
    assert session_call["params"]["line_items"][0]["price_data"]["recurring"] == {"interval": "month"}
    assert session_call["params"]["subscription_data"]["metadata"]["wans_reference"] == first.reference
    session = fake.objects[first.provider_ref]
    day = 86400
    t0 = int(time.time())
    sub = stripe_subscription(fake, session, amount=3500, currency="pgk", start=t0, end=t0 + 30 * day)
    invoice1 = stripe_invoice(fake, sub, amount=3500, start=t0, end=t0 + 30 * day, reason="subscription_create")
    # out of order: the first invoice's invoice.paid before checkout.session.completed
    assert deliver(api(), event("invoice.paid", invoice1)).json()["outcome"] == "paid"
    assert deliver(api(), event("checkout.session.completed", session)).json()["outcome"] == "paid"
    ours = Subscription.objects.get(user=viewer, plan__code="basic")
    assert ours.status == "active" and ours.stripe_subscription_id == sub["id"]
    assert LedgerTransaction.objects.filter(kind="payment").count() == 1
    # a renewal
    invoice2 = stripe_invoice(fake, sub, amount=3500, start=t0 + 30 * day, end=t0 + 60 * day,
                              reason="subscription_cycle")
    renewal_event = event("invoice.paid", invoice2)
    assert deliver(api(), renewal_event).json()["outcome"] == "renewed"
    assert deliver(api(), renewal_event).json()["outcome"] == "duplicate"
    ours.refresh_from_db()
    assert int(ours.current_period_end.timestamp()) == t0 + 60 * day
    renewal = Payment.objects.get(provider_ref=invoice2["id"])
    assert renewal.status == "paid" and renewal.provider_charge_ref
    assert ledger_balances()["svod:pool"] == {"PGK": -2 * 2450}
    # the next renewal fails: grace, access continues
    failed = {**invoice2, "id": new_id("in"), "status": "open", "amount_paid": 0}
    assert deliver(api(), event("invoice.payment_failed", failed)).json()["outcome"] == "grace"
    ours.refresh_from_db()
    assert ours.status == "past_due" and ours.grace_until is not None
    from billing import selectors

    assert selectors.plan_limits_for(user=viewer).plan_code == "basic"
    # staff refund the first invoice (not the renewal): exactly that payment is reversed
    refund = api(staff).post(f"/api/transactions/{first.pk}/refund", {"reason": "goodwill"}, format="json")
    assert refund.json()["status"] == "refunded"
    [refund_call] = fake.calls("POST", "/v1/refunds")
    first.refresh_from_db()
    assert refund_call["params"]["payment_intent"] == first.provider_charge_ref != renewal.provider_charge_ref
    assert ledger_balances()["svod:pool"] == {"PGK": -2450}
    ours.refresh_from_db()
    assert ours.status == "past_due"  # the refund was not of the latest period
    # cancel at period end through Stripe, then Stripe deletes it
    assert api(viewer).delete(f"/api/subscriptions/{ours.pk}").json()["cancel_at_period_end"] is True
    [modify] = fake.calls("POST", f"/v1/subscriptions/{sub['id']}")
    assert modify["params"] == {"cancel_at_period_end": "true"}
    sub.update(status="canceled", ended_at=int(time.time()))
    assert deliver(api(), event("customer.subscription.deleted", sub)).json()["outcome"] == "canceled"
    ours.refresh_from_db()
    assert ours.status == "canceled" and selectors.plan_limits_for(user=viewer).plan_code is None


def test_an_abandoned_stripe_checkout_expires(api, viewer, make_window, fake):
    window = make_window("pvod")
    payment_id = api(viewer).post("/api/transactions", {"window_id": window.pk, "provider": "stripe"},
                                  format="json").json()["id"]
    session = fake.objects[Payment.objects.get(pk=payment_id).provider_ref]
    session.update(status="expired")
    assert deliver(api(), event("checkout.session.expired", session)).json()["outcome"] == "expired"
    assert Payment.objects.get(pk=payment_id).status == "expired" and Entitlement.objects.count() == 0


def test_stripe_refusing_a_checkout_is_a_502_and_nothing_is_granted(api, viewer, make_window, fake, monkeypatch):
    window = make_window("pvod")
    original = fake.route

    def refuse(method, path, params):
        if path == "/v1/checkout/sessions":
            return 400, {"error": {"type": "invalid_request_error", "message": "Amount too small"}}
        return original(method, path, params)

    monkeypatch.setattr(fake, "route", refuse)
    answer = api(viewer).post("/api/transactions", {"window_id": window.pk, "provider": "stripe"}, format="json")
    assert answer.status_code == 502 and answer.json()["error"]["code"] == "provider_error"
    assert list(Payment.objects.values_list("status", flat=True)) == ["failed"]


def test_refunding_the_latest_period_ends_the_stripe_subscription(api, viewer, staff, fake):
    answer = api(viewer).post("/api/subscriptions", {"plan": "basic", "provider": "stripe"}, format="json")
    payment = Payment.objects.get(pk=answer.json()["id"])
    session = fake.objects[payment.provider_ref]
    t0 = int(time.time())
    sub = stripe_subscription(fake, session, amount=3500, currency="pgk", start=t0, end=t0 + 30 * 86400)
    invoice = stripe_invoice(fake, sub, amount=3500, start=t0, end=t0 + 30 * 86400, reason="subscription_create")
    deliver(api(), event("checkout.session.completed", session))
    deliver(api(), event("invoice.paid", invoice))
    assert LedgerTransaction.objects.filter(kind="payment").count() == 1
    refund = api(staff).post(f"/api/transactions/{payment.pk}/refund", {"reason": "fraud"}, format="json")
    assert refund.json()["status"] == "refunded"
    assert [c["path"] for c in fake.calls("DELETE", "/v1/subscriptions/")] == [f"/v1/subscriptions/{sub['id']}"]
    assert Subscription.objects.get(pk=payment.subscription_id).status == "canceled"
    assert ledger_balances() == {}


def test_a_first_stripe_subscriber_gets_the_trial_through_checkout(api, viewer, fake):
    answer = api(viewer).post("/api/subscriptions", {"plan": "premium", "provider": "stripe"}, format="json")
    assert answer.status_code == 201 and answer.json()["amount"]["amount_minor"] == 0
    [session_call] = fake.calls("POST", "/v1/checkout/sessions")
    assert session_call["params"]["subscription_data"]["trial_period_days"] == "7"
    assert session_call["params"]["line_items"][0]["price_data"]["unit_amount"] == "7500"
    payment = Payment.objects.get(pk=answer.json()["id"])
    session = fake.objects[payment.provider_ref]
    t0 = int(time.time())
    stripe_subscription(fake, session, amount=7500, currency="pgk", start=t0, end=t0 + 7 * 86400)
    session.update(amount_total=0, payment_status="no_payment_required")
    sub = fake.objects[session["subscription"]]
    sub["status"] = "trialing"
    assert deliver(api(), event("checkout.session.completed", session)).json()["outcome"] == "paid"
    ours = Subscription.objects.get(user=viewer)
    assert ours.status == "trialing" and ours.plan.code == "premium"
    assert LedgerTransaction.objects.count() == 0  # no money moved
