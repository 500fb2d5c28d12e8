"""The monthly close's allocation, with exact figures: the rights holders' share is of the net (gross less the
provider's fee), split between payees by basis points with the largest remainder, an advance recouped first, a
minimum guarantee topped up from the platform's revenue, tax withheld per payee country, the most specific split
in force at the sale's date, and a refund of a closed month's sale landing as the next month's adjustment."""

from datetime import timedelta

import pytest

from billing import selectors as billing_selectors
from royalties import selectors, services
from royalties.models import Allocation, Statement
from royalties.tests.conftest import at, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(creator):
    return services.payee_for_user(user=creator)


@pytest.fixture
def producer():
    return services.payee_create(name="Sepik Pictures", email="money@sepik.example", country="AU", currency="AUD")


def balances(*codes):
    found = billing_selectors.account_balances_at(codes=list(codes))
    return {f"{code} {cur}": total for (code, cur), total in found.items()}


def statement(payee, period, currency="PGK"):
    return Statement.objects.get(payee=payee, period=period, currency=currency)


def test_a_sale_is_shared_of_its_net_and_split_between_payees_with_the_largest_remainder(
    film, make_window, shop, own, producer, creator
):
    services.split_rule_set_create(film_id=film.pk, shares=[(own.pk, 6000), (producer.pk, 4000)],
                                   valid_from=month(3))
    sale = shop.sell(make_window("tvod"), at=at(month(3)), fee=38)
    # 70% of the net (1500 - 38 = 1462) is 1023.4: 1023 to the film's rights holders, the rest the platform's.
    assert balances("platform:revenue", f"creator:{creator.pk}", "fees:sandbox") == {
        "platform:revenue PGK": -477, f"creator:{creator.pk} PGK": -1023, "fees:sandbox PGK": 38}
    assert sale.territory == "PG"
    run = services.period_close(period=month(3))
    assert (run.sources, run.postings, run.statements) == (1, 1, 2)
    # 1023 by 60:40 is 613.8 and 409.2: the odd unit goes to the larger remainder.
    assert balances(f"creator:{creator.pk}", own.ledger_code, producer.ledger_code, "tax:withheld") == {
        f"payee:{own.pk} PGK": -614, f"payee:{producer.pk} PGK": -409}
    mine = statement(own, month(3))
    assert (mine.opening_minor, mine.earnings_minor, mine.adjustments_minor, mine.withholding_minor,
            mine.payouts_minor, mine.closing_minor) == (0, 614, 0, 0, 0, 614)
    assert mine.lines["earnings"] == [{"film_id": film.pk, "title": film.title, "model": "tvod", "share_minor": 614,
                                       "recouped_minor": 0, "amount_minor": 614}]
    theirs = statement(producer, month(3))
    assert (theirs.earnings_minor, theirs.closing_minor, theirs.display_currency) == (409, 409, "AUD")
    assert selectors.payee_balances(payee=producer) == {"PGK": 409}
    assert billing_selectors.ledger_unbalanced() == []


def test_closing_twice_changes_nothing_and_months_close_in_order(film, make_window, shop, own):
    shop.sell(make_window("tvod"), at=at(month(3)), fee=0)
    first = services.period_close(period=month(3))
    assert services.period_close(period=month(3)) == first
    assert Allocation.objects.count() == 1 and Statement.objects.count() == 1
    with pytest.raises(Exception) as skipped:
        services.period_close(period=month(1))
    assert getattr(skipped.value, "code", None) == "period_order"
    services.period_close(period=month(2))
    with pytest.raises(Exception) as late:
        services.period_close(period=month(4))
    assert getattr(late.value, "code", None) == "period_order"
    with pytest.raises(Exception) as running:
        services.period_close(period=month(0))
    assert getattr(running.value, "code", None) == "period_not_over"


def test_no_split_gives_everything_to_the_creators_own_payee_made_on_first_need(film, make_window, shop, creator):
    shop.sell(make_window("tvod"), at=at(month(2)), fee=0)  # 1050 to the rights holders
    assert selectors.payee_for_user_get(user_id=creator.pk) is None
    services.period_close(period=month(2))
    own = selectors.payee_for_user_get(user_id=creator.pk)
    assert (own.name, own.email, own.country.code, own.currency) == (creator.email, creator.email, "PG", "PGK")
    assert selectors.payee_balances(payee=own) == {"PGK": 1050}


def test_an_advance_is_recouped_first_then_the_split_applies(film, make_window, shop, own, producer):
    distributor = services.payee_create(name="Pacific Distribution", country="PG", currency="PGK")
    services.split_rule_set_create(film_id=film.pk, shares=[(own.pk, 6000), (producer.pk, 4000)],
                                   valid_from=month(3))
    advance = services.advance_create(payee=distributor, film_id=film.pk, currency="PGK", amount_minor=1000,
                                      starts_on=month(3))
    window = make_window("tvod")
    shop.sell(window, at=at(month(3)), fee=0)  # 1050 each to the rights holders
    shop.sell(window, at=at(month(3), 11), fee=0)
    services.period_close(period=month(3))
    # 2100: the advance's 1000 first, then 1100 by 60:40.
    assert selectors.payee_balances(payee=distributor) == {"PGK": 1000}
    assert (selectors.payee_balances(payee=own), selectors.payee_balances(payee=producer)) == ({"PGK": 660},
                                                                                              {"PGK": 440})
    assert statement(distributor, month(3)).lines["recoupment"] == [{
        "advance_id": advance.pk, "film_id": film.pk, "title": film.title, "recouped_minor": 1000,
        "advance_minor": 1000, "recouped_to_date_minor": 1000, "outstanding_minor": 0}]
    shop.sell(window, at=at(month(2)), fee=0)
    services.period_close(period=month(2))
    assert selectors.payee_balances(payee=distributor) == {"PGK": 1000}  # recouped: only the split now
    assert statement(own, month(2)).earnings_minor == 630 and statement(producer, month(2)).earnings_minor == 420


def test_a_partial_recoupment_takes_its_percentage_until_recouped(film, make_window, shop, own):
    fund = services.payee_create(name="Film Fund PNG", country="PG", currency="PGK")
    services.advance_create(payee=fund, film_id=film.pk, currency="PGK", amount_minor=800, starts_on=month(3),
                            recoup_bps=5000)
    window = make_window("tvod")
    shop.sell(window, at=at(month(3)), fee=0)  # 1050: half (525) recoups, 525 to the split (the creator)
    services.period_close(period=month(3))
    assert selectors.payee_balances(payee=fund) == {"PGK": 525}
    shop.sell(window, at=at(month(2)), fee=0)  # half is 525 but only 275 is left to recoup
    services.period_close(period=month(2))
    assert selectors.payee_balances(payee=fund) == {"PGK": 800}
    assert selectors.payee_balances(payee=own) == {"PGK": 525 + 775}


def test_a_refund_after_the_advance_is_recouped_comes_out_of_the_splits_alone(film, make_window, shop, own):
    distributor = services.payee_create(name="Pacific Distribution", country="PG", currency="PGK")
    services.advance_create(payee=distributor, film_id=film.pk, currency="PGK", amount_minor=1000, starts_on=month(3))
    window = make_window("tvod")
    first = shop.sell(window, at=at(month(3)), fee=0)  # 1050: 1000 recouped, 50 to the creator
    late = shop.sell(window, at=at(month(3), 12), fee=0)  # 1050 to the creator
    services.period_close(period=month(3))
    shop.refund(late, at=at(month(2)))
    services.period_close(period=month(2))
    assert selectors.payee_balances(payee=distributor) == {"PGK": 1000}  # the pool (1050) still covers it
    assert selectors.payee_balances(payee=own) == {"PGK": 50}
    shop.refund(first, at=at(month(1)))
    services.period_close(period=month(1))
    # Every sale refunded: the pool is back to nothing, and so is what the advance recouped.
    assert selectors.payee_balances(payee=distributor) == {}
    assert selectors.payee_balances(payee=own) == {}


def test_an_advance_starts_in_an_open_month(film, make_window, shop):
    distributor = services.payee_create(name="Pacific Distribution", country="PG", currency="PGK")
    shop.sell(make_window("tvod"), at=at(month(3)), fee=0)
    services.period_close(period=month(3))
    with pytest.raises(Exception) as refused:
        services.advance_create(payee=distributor, film_id=film.pk, currency="PGK", amount_minor=1000,
                                starts_on=month(3))
    assert refused.value.code == "royalties_invalid" and "starts_on" in refused.value.fields


def test_a_refund_of_a_closed_months_sale_is_the_next_months_adjustment(film, make_window, shop, own, producer):
    services.split_rule_set_create(film_id=film.pk, shares=[(own.pk, 6000), (producer.pk, 4000)],
                                   valid_from=month(3))
    window = make_window("tvod")
    sale = shop.sell(window, at=at(month(3)), fee=38)
    services.period_close(period=month(3))
    closed = statement(own, month(3))
    shop.refund(sale, at=at(month(2), 5))
    shop.sell(window, at=at(month(2), 6), fee=38)
    services.period_close(period=month(2))
    assert statement(own, month(3)).hash == closed.hash and statement(own, month(3)).closing_minor == 614
    later = statement(own, month(2))
    assert (later.opening_minor, later.earnings_minor, later.adjustments_minor, later.closing_minor) == (
        614, 614, -614, 614)
    assert later.lines["adjustments"] == [{"film_id": film.pk, "title": film.title, "model": "tvod",
                                           "amount_minor": -614}]
    assert statement(producer, month(2)).adjustments_minor == -409
    assert later.previous_hash == closed.hash


def test_a_payment_confirmed_late_into_a_closed_month_is_an_adjustment(film, make_window, shop, own):
    window = make_window("tvod")
    shop.sell(window, at=at(month(3)), fee=0)
    services.period_close(period=month(3))
    shop.sell(window, at=at(month(3), 20), fee=0)  # dated in the closed month, posted after it closed
    services.period_close(period=month(2))
    later = statement(own, month(2))
    assert (later.opening_minor, later.earnings_minor, later.adjustments_minor, later.closing_minor) == (
        1050, 0, 1050, 2100)


def test_the_most_specific_split_in_force_at_the_sales_date_wins(film, make_window, shop, own, producer):
    agent = services.payee_create(name="US Sales Agent", country="US", currency="USD")
    services.split_rule_set_create(film_id=film.pk, shares=[(own.pk, 10000)], valid_from=month(3))
    services.split_rule_set_create(film_id=film.pk, territory="US", shares=[(agent.pk, 10000)], valid_from=month(3))
    services.split_rule_set_create(film_id=film.pk, model="tvod", shares=[(producer.pk, 10000)],
                                   valid_from=month(3), valid_until=month(3) + timedelta(days=15))
    window = make_window("tvod")
    shop.sell(window, at=at(month(3), 10), fee=0)  # PG tvod in the tvod rule's dates: the producer
    shop.sell(window, at=at(month(3), 20), fee=0)  # PG tvod after it: the catch-all, the creator
    shop.sell(window, at=at(month(3), 21), territory="US", fee=0)  # US: the territory rule (USD 499 -> 349)
    services.period_close(period=month(3))
    assert selectors.payee_balances(payee=producer) == {"PGK": 1050}
    assert selectors.payee_balances(payee=own) == {"PGK": 1050}
    assert selectors.payee_balances(payee=agent) == {"USD": 349}


def test_a_minimum_guarantee_is_topped_up_from_the_platforms_revenue(film, make_window, shop, own, producer):
    services.split_rule_set_create(film_id=film.pk, shares=[(own.pk, 6000), (producer.pk, 4000)],
                                   valid_from=month(3))
    services.guarantee_create(payee=producer, film_id=film.pk, currency="PGK", amount_minor=500, starts_on=month(3),
                              ends_on=month(2))
    shop.sell(make_window("tvod"), at=at(month(3)), fee=38)
    platform_before = billing_selectors.account_balances_at(codes=["platform:revenue"])[("platform:revenue", "PGK")]
    services.period_close(period=month(3))
    assert selectors.payee_balances(payee=producer) == {"PGK": 500}  # 409 earned + 91 from the platform
    mine = statement(producer, month(3))
    assert mine.earnings_minor == 500 and mine.lines["minimum_guarantee"] == [
        {"film_id": film.pk, "title": film.title, "amount_minor": 91}]
    assert billing_selectors.account_balances_at(codes=["platform:revenue"])[("platform:revenue", "PGK")] == \
        platform_before + 91
    services.period_close(period=month(2))  # the guarantee ended: nothing sold, nothing topped up
    assert selectors.payee_balances(payee=producer) == {"PGK": 500}
    assert billing_selectors.ledger_unbalanced() == []


def test_tax_is_withheld_by_the_payees_country_unless_exempt(film, make_window, shop, own, producer):
    services.withholding_rate_set(country="AU", rate_bps=1000, valid_from=month(6))
    collective = services.payee_create(name="Cast Collective", country="AU", currency="AUD",
                                       withholding_exempt=True, exemption_reference="ATO-EX-1")
    services.split_rule_set_create(film_id=film.pk, shares=[(own.pk, 5000), (producer.pk, 3000),
                                                            (collective.pk, 2000)], valid_from=month(3))
    shop.sell(make_window("tvod"), at=at(month(3)), fee=0)  # 1050: 525, 315, 210
    services.period_close(period=month(3))
    assert selectors.payee_balances(payee=producer) == {"PGK": 315 - 32}  # 31.5 withheld, rounded half up
    assert selectors.payee_balances(payee=collective) == {"PGK": 210}
    assert billing_selectors.account_balances_at(codes=["tax:withheld"]) == {("tax:withheld", "PGK"): -32}
    mine = statement(producer, month(3))
    assert (mine.earnings_minor, mine.withholding_minor, mine.closing_minor) == (315, 32, 283)
    assert mine.lines["withholding"] == {"rate_bps": 1000, "exempt": False, "amount_minor": 32}


def test_the_svod_pool_is_split_before_the_month_closes_and_lands_in_its_statements(
    make_film, make_user, creator, shop, own, django_capture_on_commit_callbacks
):
    from billing import services as billing_services

    first, second = make_film("A"), make_film("B", owner=make_user("creator"))
    shop.subscribe(at=at(month(2)), fee=50)  # K35.00 a month: 70% of the 3450 net, 2415, to the pool
    billing_services.watch_time_record(film_id=first.pk, period=month(2), seconds=300)
    billing_services.watch_time_record(film_id=second.pk, period=month(2), seconds=100)
    services.period_close(period=month(2))
    assert selectors.payee_balances(payee=own) == {"PGK": 1811}  # 3:1 by watch time: 1811.25 and 603.75
    other = selectors.payee_for_user_get(user_id=second.creator_id)
    assert selectors.payee_balances(payee=other) == {"PGK": 604}
    assert statement(own, month(2)).lines["earnings"][0]["model"] == "svod"
