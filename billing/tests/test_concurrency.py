"""Concurrent buyers and concurrent webhooks on Postgres (real row locks and unique constraints; SQLite serializes
writers, so these run on Postgres only)."""

import pytest
from django.db import connection

from billing import errors, services
from billing.models import Entitlement, LedgerTransaction, Payment, ProviderEvent
from billing.tests.conftest import ledger_balances, signed_callback
from core.testing.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs Postgres row locks"),
]


def test_the_last_collector_copy_is_sold_once(make_user, make_window):
    window = make_window("collector", edition_size=1)
    buyers = [make_user(), make_user()]
    results = race(*[
        lambda b=b: services.checkout_purchase_start(user=b, window_id=window.pk, provider="bank", territory="PG")
        for b in buyers
    ])
    sold = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, errors.SoldOut)]
    assert len(sold) == 1 and len(refused) == 1, results
    assert Payment.objects.filter(window_id=window.pk).count() == 1


def test_two_staff_grants_of_the_last_copy(make_user, staff, make_window):
    window = make_window("collector", edition_size=1)
    buyers = [make_user(), make_user()]
    results = race(*[
        lambda b=b: services.entitlement_grant(user=b, window_id=window.pk, by=staff, reason="prize") for b in buyers
    ])
    assert sorted(type(r).__name__ for r in results) == ["Entitlement", "SoldOut"]
    assert list(Entitlement.objects.filter(window_id=window.pk).values_list("edition_number", flat=True)) == [1]


def test_duplicate_and_competing_callbacks_at_once_credit_once(api, viewer, creator, make_window):
    window = make_window("tvod")
    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="bsp", territory="PG")
    same = signed_callback("bsp", payment=payment, event_id="evt_same", fee=38)
    other = signed_callback("bsp", payment=payment, event_id="evt_other", fee=38)

    def deliver(pair):
        return services.callback_handle(provider="bsp", body=pair[0], headers=pair[1])["outcome"]

    results = race(lambda: deliver(same), lambda: deliver(same), lambda: deliver(other))
    assert sorted(map(str, results)) == ["duplicate", "ignored: payment was paid", "paid"], results
    assert ProviderEvent.objects.count() == 2
    assert Entitlement.objects.count() == 1 and LedgerTransaction.objects.count() == 1
    assert ledger_balances() == {
        "provider:bsp": {"PGK": 1462}, "fees:bsp": {"PGK": 38},
        f"creator:{creator.pk}": {"PGK": -1023}, "platform:revenue": {"PGK": -477},  # 70% of 1500 - 38
    }


def test_the_last_redemption_of_a_coupon_goes_to_one_buyer(make_user, make_window):
    from billing.models import Coupon, CouponRedemption

    Coupon.objects.create(code="LAST1", kind="percent", percent_off=50, for_purchases=True, max_redemptions=1)
    window = make_window("tvod")
    buyers = [make_user(), make_user()]
    results = race(*[
        lambda b=b: services.checkout_purchase_start(user=b, window_id=window.pk, provider="bank", territory="PG",
                                                     coupon_code="LAST1")
        for b in buyers
    ])
    assert sorted(type(r).__name__ for r in results) == ["CouponRefused", "Payment"], results
    assert CouponRedemption.objects.count() == 1 and Payment.objects.count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_two_paid_callbacks_at_once_are_applied_once_and_recorded_once_as_applied(api, viewer, make_window, round_):
    window = make_window("tvod")
    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="bsp", territory="PG")
    first = signed_callback("bsp", payment=payment, event_id="evt_a", fee=22)
    second = signed_callback("bsp", payment=payment, event_id="evt_b", fee=22)

    results = race(*[
        lambda pair=pair: services.callback_handle(provider="bsp", body=pair[0], headers=pair[1])
        for pair in (first, second)
    ])

    assert sorted(result["outcome"] for result in results) == ["ignored: payment was paid", "paid"], results
    assert sorted(ProviderEvent.objects.values_list("outcome", flat=True)) == ["ignored: payment was paid", "paid"]
    assert Entitlement.objects.count() == 1 and LedgerTransaction.objects.count() == 1
