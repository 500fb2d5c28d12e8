"""Complimentary grants: the subscription or entitlement, a zero-amount staff payment it points at, and a ledger
transaction with no entries carrying the reason; refused without staff, a reason, or exactly one of plan/window."""

import pytest
from django.utils import timezone

from billing import errors, selectors, services
from billing.models import Entitlement, LedgerEntry, LedgerTransaction, Payment, Subscription

pytestmark = pytest.mark.django_db


def test_a_complimentary_subscription_is_a_zero_staff_payment_and_an_empty_ledger_transaction(viewer, staff):
    payment = services.complimentary_grant(user=viewer, by=staff, reason="press screener", plan_code="premium")
    sub = Subscription.objects.get(user=viewer)
    assert (sub.status, sub.provider, sub.granted_by, sub.grant_reason) == ("active", "staff", staff, "press screener")
    assert (payment.provider, payment.status, payment.amount_minor, payment.subtotal_minor, payment.currency,
            payment.subscription_id, payment.purpose) == ("staff", "paid", 0, 0, "USD", sub.pk, "subscription")
    assert Entitlement.objects.get(subscription=sub).payment_id == payment.pk
    txn = LedgerTransaction.objects.get(payment=payment)
    assert (txn.key, txn.kind, txn.memo) == (f"grant:{payment.pk}", "grant",
                                             f"complimentary premium/month by {staff.pk}: press screener")
    assert LedgerEntry.objects.count() == 0
    assert selectors.plan_limits_for(user=viewer).plan_code == "premium"
    assert selectors.revenue_months(now=timezone.now()) == {"this": {}, "last": {}}


def test_a_complimentary_rental_points_at_its_zero_payment(viewer, staff, film, make_window):
    window = make_window("tvod")
    payment = services.complimentary_grant(user=viewer, by=staff, reason="festival jury", window_id=window.pk)
    entitlement = Entitlement.objects.get(user=viewer)
    assert (entitlement.kind, entitlement.payment_id, entitlement.granted_by, entitlement.reason) == (
        "rental", payment.pk, staff, "festival jury")
    assert (payment.purpose, payment.window_id, payment.film_id, payment.window_type, payment.amount_minor) == (
        "purchase", window.pk, film.pk, "tvod", 0)
    assert LedgerTransaction.objects.get(payment=payment).kind == "grant"


def test_a_grant_is_refused_without_staff_a_reason_or_exactly_one_thing(viewer, staff, make_user, make_window):
    window = make_window("tvod")
    with pytest.raises(errors.BillingPermissionDenied):
        services.complimentary_grant(user=viewer, by=make_user(), reason="x", plan_code="basic")
    with pytest.raises(errors.BillingInvalid) as no_reason:
        services.complimentary_grant(user=viewer, by=staff, reason=" ", plan_code="basic")
    assert "reason" in no_reason.value.fields
    for kwargs in ({}, {"plan_code": "basic", "window_id": window.pk}):
        with pytest.raises(errors.BillingInvalid) as both:
            services.complimentary_grant(user=viewer, by=staff, reason="x", **kwargs)
        assert "plan_code" in both.value.fields
    assert (Subscription.objects.count(), Entitlement.objects.count(), Payment.objects.count(),
            LedgerTransaction.objects.count()) == (0, 0, 0, 0)
