"""Subscriptions over the PNG rails and the sandbox: trials, paid starts, renewals, cancel and reactivate, grace and
lapse, and the API's answers to bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing import selectors, services
from billing.models import LedgerTransaction, Payment, Subscription
from billing.tests.conftest import ledger_balances

pytestmark = pytest.mark.django_db


def test_plans_are_listed_for_anyone(api):
    answer = api().get("/api/plans")
    assert answer.status_code == 200
    plans = answer.json()
    assert [p["code"] for p in plans] == ["basic", "standard", "premium"]
    assert plans[0]["prices"]["month"]["PGK"] == {"amount_minor": 3500, "currency": "PGK", "display": "PGK 35.00"}
    assert plans[2]["prices"]["year"]["USD"]["amount_minor"] == 190000 // 10


def test_a_first_subscriber_starts_a_trial_at_once(api, viewer):
    answer = api(viewer).post("/api/subscriptions", {"plan": "standard", "provider": "bsp"}, format="json")
    assert answer.status_code == 201
    assert answer.json()["status"] == "paid" and answer.json()["amount"]["amount_minor"] == 0
    subscription = Subscription.objects.get(user=viewer)
    assert subscription.status == "trialing"
    assert subscription.trial_ends_at - subscription.current_period_start == timedelta(days=7)
    assert selectors.plan_limits_for(user=viewer).plan_code == "standard"
    assert LedgerTransaction.objects.count() == 0


def test_a_paid_subscription_through_the_sandbox_then_renewal_and_lapse(
    api, viewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(viewer).post("/api/transactions/png", {"plan": "basic", "provider": "vodafone",
                                                             "phone": "+67570012345"}, format="json")
    assert answer.status_code == 201, answer.json()
    subscription = Subscription.objects.get(user=viewer)
    assert subscription.status == "active" and subscription.provider == "vodafone"
    assert ledger_balances()["svod:pool"] == {"PGK": -2413}  # 70% of 3500 less M-PAiSA's 53
    mine = api(viewer).get(f"/api/subscriptions/user/{viewer.pk}").json()["results"]
    assert [(s["plan"], s["status"]) for s in mine] == [("basic", "active")]
    # the period ends unpaid: grace, still live
    end = subscription.current_period_end
    assert services.subscriptions_sweep(at=end + timedelta(seconds=1)) == {"ended": 0, "lapsed": 0, "grace": 1}
    subscription.refresh_from_db()
    assert subscription.status == "past_due" and subscription.grace_until == end + timedelta(days=7)
    assert selectors.subscription_active_for(user=viewer, at=end + timedelta(days=6)) == subscription
    # paying the overdue period ends the grace
    with django_capture_on_commit_callbacks(execute=True):
        renewal = services.checkout_renewal_start(user=viewer, subscription_id=subscription.pk, provider="digicel",
                                                  phone="70012345")
    renewal.refresh_from_db()
    subscription.refresh_from_db()
    assert renewal.status == "paid" and renewal.period_start == end
    assert subscription.status == "active" and subscription.current_period_end > end
    # the next period ends unpaid, the grace runs out: lapsed
    end = subscription.current_period_end
    services.subscriptions_sweep(at=end + timedelta(seconds=1))
    services.subscriptions_sweep(at=end + timedelta(days=7, seconds=1))
    subscription.refresh_from_db()
    assert subscription.status == "lapsed"
    assert selectors.plan_limits_for(user=viewer).plan_code is None


def test_cancel_at_period_end_and_reactivate(api, viewer, make_user, staff):
    subscription = services.subscription_grant(user=viewer, plan_code="premium", by=staff, reason="x")
    stranger = make_user()
    assert api(stranger).delete(f"/api/subscriptions/{subscription.pk}").status_code == 404
    assert api(stranger).get(f"/api/subscriptions/user/{viewer.pk}").status_code == 403
    answer = api(viewer).delete(f"/api/subscriptions/{subscription.pk}")
    assert answer.status_code == 200 and answer.json()["cancel_at_period_end"] is True
    assert selectors.subscription_active_for(user=viewer) == subscription  # until the period ends
    again = api(viewer).post(f"/api/subscriptions/{subscription.pk}/reactivate")
    assert again.json()["cancel_at_period_end"] is False
    api(viewer).delete(f"/api/subscriptions/{subscription.pk}")
    services.subscriptions_sweep(at=subscription.current_period_end)
    subscription.refresh_from_db()
    assert subscription.status == "canceled"
    late = api(viewer).post(f"/api/subscriptions/{subscription.pk}/reactivate")
    assert late.status_code == 409 and late.json()["error"]["code"] == "invalid_transition"


def test_bad_subscription_input_is_refused_and_nothing_recorded(api, viewer, staff):
    cases = [
        ({"plan": "gold", "provider": "bsp"}, 400, "unknown_plan"),
        ({"plan": "basic", "provider": "bsp", "currency": "USD"}, 400, "wrong_currency"),
        ({"plan": "basic", "provider": "bsp", "interval": "week"}, 400, "invalid"),
        ({"plan": "basic", "provider": "bitcoin"}, 400, "invalid"),
        ({"plan": "basic", "provider": "bsp", "coupon": "EXPIRED1"}, 400, "coupon_refused"),
        ({"plan": "basic", "provider": "bsp", "return_url": "https://evil.example/"}, 400, "invalid"),
    ]
    from billing.models import Coupon

    Coupon.objects.create(code="EXPIRED1", kind="percent", percent_off=5, expires_at=timezone.now())
    for data, status, code in cases:
        answer = api(viewer).post("/api/subscriptions", data, format="json")
        assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), data
    assert api().post("/api/subscriptions", cases[0][0], format="json").status_code == 401
    assert Subscription.objects.count() == 0 and Payment.objects.count() == 0
    services.subscription_grant(user=viewer, plan_code="basic", by=staff, reason="x")
    taken = api(viewer).post("/api/subscriptions", {"plan": "premium", "provider": "bsp"}, format="json")
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "already_subscribed"


def test_a_territory_without_plan_prices_pays_in_dollars(api, viewer):
    viewer.country = "JP"
    viewer.save()
    refused = api(viewer).post("/api/subscriptions", {"plan": "basic", "provider": "bsp"}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "provider_unavailable"
    assert refused.json()["error"]["fields"] == {"provider": ["Use stripe (card) outside Papua New Guinea."]}
    assert Payment.objects.count() == 0
    answer = api(viewer).post("/api/subscriptions", {"plan": "basic", "provider": "sandbox", "interval": "year"},
                              format="json")
    assert answer.status_code == 201 and answer.json()["amount"]["amount_minor"] == 9000
    assert answer.json()["amount"]["currency"] == "USD"
