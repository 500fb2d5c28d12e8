"""A subscription payment that expired and then arrives "paid": the money was taken, so the access paid for starts
(a whole period from the payment), or, when the person has meanwhile got another live subscription, the payment is
refunded at once. Either way the ledger shows what happened (issue 10, item 4)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing import selectors, services
from billing.models import Entitlement, LedgerTransaction, Payment, ProviderEvent, Subscription
from billing.tests.conftest import ledger_balances, post_callback, signed_callback

pytestmark = pytest.mark.django_db


def _subscribe(api, viewer) -> Payment:
    answer = api(viewer).post("/api/transactions/png", {"plan": "basic", "provider": "bsp"}, format="json")
    assert answer.status_code == 201, answer.content
    payment = Payment.objects.get(public_id=answer.json()["public_id"])
    assert payment.status == "pending" and payment.amount_minor == 3500
    return payment


def _expire(payment):
    assert services.payments_expire(at=timezone.now() + timedelta(minutes=31)) == 1
    payment.refresh_from_db()
    assert payment.status == "expired"
    assert Subscription.objects.get(pk=payment.subscription_id).status == "expired"


def test_a_subscription_paid_after_it_expired_starts_for_a_whole_period(api, viewer):
    payment = _subscribe(api, viewer)
    _expire(payment)
    before = timezone.now()

    late = post_callback(api(), "bsp", *signed_callback("bsp", payment=payment, event_id="late", fee=88))

    assert late.status_code == 200 and late.json() == {"event_id": "late", "outcome": "paid"}
    payment.refresh_from_db()
    subscription = Subscription.objects.get(pk=payment.subscription_id)
    assert payment.status == "paid" and subscription.status == "active" and subscription.ended_at is None
    assert subscription.current_period_start >= before
    assert subscription.current_period_end - subscription.current_period_start >= timedelta(days=28)
    assert (payment.period_start, payment.period_end) == (
        subscription.current_period_start, subscription.current_period_end)
    assert selectors.subscription_active_for(user=viewer) == subscription
    assert selectors.plan_limits_for(user=viewer).plan_code == "basic"
    assert Entitlement.objects.filter(user=viewer, kind="subscription", revoked_at__isnull=True).count() == 1
    assert LedgerTransaction.objects.count() == 1
    assert ledger_balances() == {"provider:bsp": {"PGK": 3412}, "fees:bsp": {"PGK": 88}, "svod:pool": {"PGK": -2388},
                                 "platform:revenue": {"PGK": -1112}}  # 70% of the net (3500 - 88) pooled
    assert ProviderEvent.objects.get(event_id="late").outcome == "paid"


def test_a_late_payment_when_another_subscription_is_live_is_refunded_and_the_ledger_nets_to_zero(api, viewer):
    stale = _subscribe(api, viewer)
    _expire(stale)
    retry = _subscribe(api, viewer)
    post_callback(api(), "bsp", *signed_callback("bsp", payment=retry, event_id="retry", fee=88))
    live = Subscription.objects.get(pk=retry.subscription_id)
    assert live.status == "active"
    balances_before = ledger_balances()

    late = post_callback(api(), "bsp", *signed_callback("bsp", payment=stale, event_id="late", fee=88))

    assert late.status_code == 200 and late.json()["outcome"] == "refunded"
    stale.refresh_from_db()
    assert stale.status == "refunded" and stale.refunded_at is not None
    assert stale.failure_reason == "Paid after it expired, while another subscription was already live."
    assert Subscription.objects.get(pk=stale.subscription_id).status == "expired"
    live.refresh_from_db()
    assert live.status == "active" and selectors.subscription_active_for(user=viewer) == live
    # posted, then reversed: the ledger holds the money in and back out, and the balances are the retry's alone
    assert LedgerTransaction.objects.filter(payment=stale).count() == 2
    assert ledger_balances() == balances_before
    assert Entitlement.objects.filter(user=viewer, kind="subscription", revoked_at__isnull=True).count() == 1
