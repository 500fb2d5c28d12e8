"""The admin: plans and prices edited as data, the reconciliation screen for bank transfers, refund actions."""

import pytest
from django.test import Client

from billing import services
from billing.models import Entitlement, LedgerTransaction, Payment, PlanPrice

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user):
    client = Client()
    client.force_login(make_user("super admin"))
    return client


def test_staff_edit_a_plan_price(admin_client):
    price = PlanPrice.objects.get(plan__code="basic", interval="month", currency="PGK")
    page = admin_client.get(f"/admin/billing/plan/{price.plan_id}/change/")
    assert page.status_code == 200 and b"3500" in page.content
    listing = admin_client.get("/admin/billing/plan/")
    assert b"PGK 35.00" in listing.content


def test_reconcile_a_bank_transfer(admin_client, viewer, make_window):
    window = make_window("pvod")
    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="bank", territory="PG")
    screen = admin_client.get("/admin/billing/payment/reconcile/")
    assert screen.status_code == 200 and payment.reference.encode() in screen.content
    wrong = admin_client.post("/admin/billing/payment/reconcile/", {
        "reference": payment.reference, "amount_minor": 3400, "currency": "PGK", "bank_ref": "FT123"})
    assert wrong.status_code == 200 and b"reports PGK 3400" in wrong.content
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    done = admin_client.post("/admin/billing/payment/reconcile/", {
        "reference": payment.reference.lower(), "amount_minor": 3500, "currency": "PGK", "bank_ref": "FT123"})
    assert done.status_code == 302
    assert Payment.objects.get(pk=payment.pk).status == "paid"
    assert Entitlement.objects.get(user=viewer).kind == "purchase"


def test_refund_actions(admin_client, viewer, make_window):
    window = make_window("pvod")
    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="bank", territory="PG")
    services.payment_confirm(payment_id=payment.pk, amount_minor=3500, currency="PGK", fee_minor=0,
                             at=payment.created_at)
    refused = admin_client.post("/admin/billing/payment/", {
        "action": "refund_through_provider", "_selected_action": [payment.pk]}, follow=True)
    assert b"cannot refund through its API" in refused.content
    assert Payment.objects.get(pk=payment.pk).status == "paid"
    admin_client.post("/admin/billing/payment/", {"action": "record_manual_refund", "_selected_action": [payment.pk]})
    assert Payment.objects.get(pk=payment.pk).status == "refunded"
    assert LedgerTransaction.objects.filter(kind="refund").count() == 1


def test_viewers_cannot_reach_billing_admin(viewer):
    client = Client()
    client.force_login(viewer)
    assert client.get("/admin/billing/payment/reconcile/").status_code == 302


def test_demo_seed_is_idempotent_and_grants_the_demo_viewer_nothing():
    from billing import demo
    from billing.models import Coupon, Subscription

    first = demo.seed()
    assert demo.seed() == first
    assert Coupon.objects.filter(code="WANS10").count() == 1
    assert Subscription.objects.count() == 0 and Entitlement.objects.count() == 0


def test_the_revenue_screen_sums_the_ledger(admin_client, viewer, make_window):
    window = make_window("tvod")
    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="bank", territory="PG")
    services.payment_confirm(payment_id=payment.pk, amount_minor=1500, currency="PGK", fee_minor=0,
                             at=payment.created_at)
    page = admin_client.get("/admin/billing/ledgertransaction/revenue/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<td>tvod</td><td>PGK</td><td>PGK 15.00</td>" in text and "PGK 10.50" in text and "PGK 4.50" in text
