"""Revenue selectors over the ledger, and the SVOD pool split by watch time."""

from datetime import date

import pytest
from django.utils import timezone

from billing import selectors, services
from billing.tests.conftest import ledger_balances

pytestmark = pytest.mark.django_db


def _buy(user, window, provider="bsp", captured=None):
    payment = services.checkout_purchase_start(user=user, window_id=window.pk, provider=provider, territory="PG")
    return services.payment_confirm(payment_id=payment.pk, amount_minor=payment.amount_minor,
                                    currency=payment.currency, fee_minor=None, at=timezone.now())


def test_revenue_by_film_model_currency_and_month(make_user, creator, film, make_film, make_window, staff):
    tvod = make_window("tvod")
    pvod = make_window("pvod", on=make_film("Sepik Song"))
    buyers = [make_user(), make_user()]
    _buy(buyers[0], tvod)
    _buy(buyers[1], tvod)
    refunded = _buy(buyers[0], pvod)
    _buy(buyers[1], pvod)
    services.payment_refund(payment=refunded, by=staff, reason="x")
    month = timezone.now().strftime("%Y-%m")
    rows = selectors.revenue_for_creator(user=creator)
    assert rows == [
        # 70% of each sale's net (gross less BSP's 2.5% fee): 2 x 1023 and 2388
        {"film_id": film.pk, "model": "tvod", "currency": "PGK", "period": month, "earned_minor": 2046},
        {"film_id": pvod.film_id, "model": "pvod", "currency": "PGK", "period": month, "earned_minor": 2388},
    ]
    totals = selectors.revenue(group_by=("model", "currency"))
    assert totals == [
        {"model": "pvod", "currency": "PGK", "gross_minor": 3500, "fees_minor": 88, "creator_minor": 2388,
         "platform_minor": 1112},
        {"model": "tvod", "currency": "PGK", "gross_minor": 3000, "fees_minor": 76, "creator_minor": 2046,
         "platform_minor": 954},
    ]
    assert selectors.revenue(group_by=("currency",), film_id=film.pk)[0]["gross_minor"] == 3000


def test_the_svod_pool_is_split_by_watch_time(make_user, make_film, staff, django_capture_on_commit_callbacks):
    films = [make_film("A"), make_film("B", owner=make_user("creator")), make_film("C")]
    for _ in range(3):
        viewer = make_user()
        with django_capture_on_commit_callbacks(execute=True):
            services.checkout_subscription_start(user=viewer, plan_code="basic", provider="digicel",
                                                 territory="PG", phone="70000001")
    pool = -ledger_balances()["svod:pool"]["PGK"]
    assert pool == 3 * 2413  # 70% of 3500 less CellMoni's 53, each
    today = timezone.now().date()
    services.watch_time_record(film_id=films[0].pk, period=today, seconds=100)
    services.watch_time_record(film_id=films[0].pk, period=today, seconds=100)
    services.watch_time_record(film_id=films[1].pk, period=today, seconds=100)
    services.watch_time_record(film_id=films[2].pk, period=today, seconds=100)
    split = services.svod_pool_split_run(period=today, currency="PGK")
    parts = {e.film_id: -e.amount_minor for e in split.entries.exclude(account__code="svod:pool")}
    assert parts == {films[0].pk: 3619, films[1].pk: 1810, films[2].pk: 1810}  # 2:1:1, remainders to the largest
    assert sum(parts.values()) == pool and "svod:pool" not in ledger_balances()
    assert services.svod_pool_split_run(period=today, currency="PGK") == split  # once per month and currency
    earned = selectors.revenue_for_creator(user=films[1].creator, group_by=("model",))
    assert earned == [{"model": "svod", "earned_minor": 1810}]


def test_nothing_watched_leaves_the_pool_waiting(make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.checkout_subscription_start(user=make_user(), plan_code="basic", provider="digicel",
                                             territory="PG", phone="70000001")
    assert services.svod_pool_split_run(period=date.today(), currency="PGK") is None
    assert ledger_balances()["svod:pool"] == {"PGK": -2413}
