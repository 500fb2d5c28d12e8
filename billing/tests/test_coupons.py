"""Coupons: every rule, with the reason a code is refused, and nothing recorded on a refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import Coupon, CouponAmount, CouponRedemption, Payment, Plan, Subscription

pytestmark = pytest.mark.django_db


def coupon(code="WANS10", **fields):
    values = {"kind": "percent", "percent_off": 10, "for_plans": True, "for_purchases": True} | fields
    return Coupon.objects.create(code=code, **values)


def validate(api, user, **data):
    return api(user).post("/api/coupons/validate", data, format="json")


def test_a_percent_coupon_quotes_the_discount_in_the_viewers_currency(api, viewer):
    coupon(percent_off=10)
    answer = validate(api, viewer, code="wans10", plan="basic")
    assert answer.status_code == 200
    assert answer.json() == {
        "valid": True, "code": "WANS10",
        "subtotal": {"amount_minor": 3500, "currency": "PGK", "display": "PGK 35.00"},
        "discount": {"amount_minor": 350, "currency": "PGK", "display": "PGK 3.50"},
        "amount": {"amount_minor": 3150, "currency": "PGK", "display": "PGK 31.50"},
        "duration": "once", "duration_months": None,
    }
    assert CouponRedemption.objects.count() == 0


def test_a_fixed_coupon_needs_an_amount_in_the_currency(api, viewer, make_window):
    window = make_window("pvod")
    fixed = coupon("K5OFF", kind="fixed", percent_off=None)
    refused = validate(api, viewer, code="K5OFF", window_id=window.pk)
    assert refused.status_code == 400
    assert refused.json()["error"]["reason"] == "wrong_currency"
    assert refused.json()["error"]["fields"] == {"coupon": ["This coupon has no amount in PGK."]}
    CouponAmount.objects.create(coupon=fixed, currency="PGK", amount_minor=500)
    assert validate(api, viewer, code="K5OFF", window_id=window.pk).json()["amount"]["amount_minor"] == 3000


@pytest.mark.parametrize(
    ("fields", "data", "reason"),
    [
        ({"expires_at": timezone.now() - timedelta(days=1)}, {"plan": "basic"}, "expired"),
        ({"active": False}, {"plan": "basic"}, "inactive"),
        ({"for_plans": False}, {"plan": "basic"}, "not_for_plans"),
        ({"for_purchases": False}, {"window": True}, "not_for_purchases"),
    ],
)
def test_refusals_say_why(api, viewer, make_window, fields, data, reason):
    coupon(**fields)
    if data.pop("window", None):
        data["window_id"] = make_window("tvod").pk
    answer = validate(api, viewer, code="WANS10", **data)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "coupon_refused" and answer.json()["error"]["reason"] == reason
    assert answer.json()["error"]["fields"]["coupon"]


def test_unknown_and_plan_limited_codes(api, viewer):
    assert validate(api, viewer, code="NOPE", plan="basic").json()["error"]["reason"] == "unknown"
    only_premium = coupon("PREMIUM")
    only_premium.plans.add(Plan.objects.get(code="premium"))
    wrong = validate(api, viewer, code="PREMIUM", plan="basic").json()["error"]
    assert wrong["reason"] == "wrong_plan" and wrong["message"] == "This coupon is only for these plans: Premium."
    assert validate(api, viewer, code="PREMIUM", plan="premium").status_code == 200


def test_total_cap_counts_pending_checkouts_and_a_persons_own_use_counts_when_paid(api, viewer, make_user, make_window):
    window = make_window("tvod")
    coupon(max_redemptions=2, per_user_limit=1)
    first = api(viewer).post("/api/transactions", {"window_id": window.pk, "provider": "bank", "coupon": "WANS10"},
                             format="json")
    assert first.status_code == 201 and first.json()["amount"]["amount_minor"] == 1350
    # a second try by the same person replaces the first (which gives its coupon back): one pending use each
    again = api(viewer).post("/api/transactions", {"window_id": window.pk, "provider": "bank", "coupon": "WANS10"},
                             format="json")
    assert again.status_code == 201
    assert list(CouponRedemption.objects.order_by("id").values_list("status", flat=True)) == ["released", "reserved"]
    other = make_user()
    assert api(other).post("/api/transactions", {"window_id": window.pk, "provider": "bank", "coupon": "WANS10"},
                           format="json").status_code == 201
    third = make_user()
    answer = api(third).post("/api/transactions", {"window_id": window.pk, "provider": "bank", "coupon": "WANS10"},
                             format="json")
    assert answer.json()["error"]["reason"] == "used_up"
    assert Payment.objects.filter(user=third).count() == 0
    # an expired checkout gives its redemption back
    from billing import services

    services.payments_expire(at=timezone.now() + timedelta(days=4))
    assert CouponRedemption.objects.filter(status="released").count() == 3
    assert validate(api, third, code="WANS10", window_id=window.pk).status_code == 200


def test_first_time_only_refuses_a_returning_subscriber(api, viewer, staff, django_capture_on_commit_callbacks):
    coupon("WELCOME", first_time_only=True)
    assert validate(api, viewer, code="WELCOME", plan="basic").status_code == 200
    Subscription.objects.create(user=viewer, plan=Plan.objects.get(code="basic"), currency="PGK",
                                amount_minor=3500, provider="bsp", status="canceled")
    assert validate(api, viewer, code="WELCOME", plan="basic").json()["error"]["reason"] == "first_time_only"


def test_a_subscription_coupon_for_three_months(api, viewer, django_capture_on_commit_callbacks):
    coupon("THREE", duration="repeating", duration_months=3, percent_off=50)
    answer = api(viewer).post("/api/subscriptions", {"plan": "basic", "provider": "sandbox", "coupon": "THREE"},
                              format="json")
    assert answer.status_code == 201 and answer.json()["amount"]["amount_minor"] == 1750
    subscription = Subscription.objects.get(user=viewer)
    assert subscription.coupon.code == "THREE" and subscription.coupon_payments_left == 2


def test_apply_puts_a_coupon_on_a_running_subscription(api, viewer, staff):
    from billing import services

    subscription = services.subscription_grant(user=viewer, plan_code="basic", by=staff, reason="x")
    coupon("FOREVER", duration="forever", percent_off=20)
    answer = api(viewer).post("/api/coupons/apply", {"code": "FOREVER", "subscription_id": subscription.pk},
                              format="json")
    assert answer.status_code == 200
    subscription.refresh_from_db()
    assert subscription.coupon.code == "FOREVER" and subscription.coupon_payments_left is None
    assert CouponRedemption.objects.get(subscription=subscription).status == "confirmed"
    again = api(viewer).post("/api/coupons/apply", {"code": "FOREVER", "subscription_id": subscription.pk},
                             format="json")
    assert again.json()["error"]["reason"] == "already_used"
