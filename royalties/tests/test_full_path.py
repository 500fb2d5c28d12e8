"""The full path, with every figure exact: a film split between three payees (the creator, a producer abroad taxed
at 10%, an exempt cast collective) and a distributor recouping a K10.00 advance first; it sells, earns its share of
the SVOD pool, one sale is refunded after its month closed; two months close; the statements hold the figures, the
ledger balances, royalties_verify passes, and fails once a closed statement is edited in the database."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from billing import selectors as billing_selectors
from billing import services as billing_services
from royalties import selectors, services
from royalties.models import Statement
from royalties.tests.conftest import at, month
from royalties.tests.test_statements import tamper

pytestmark = pytest.mark.django_db


def figures(statement) -> tuple:
    return (statement.opening_minor, statement.earnings_minor, statement.adjustments_minor,
            statement.withholding_minor, statement.payouts_minor, statement.closing_minor)


def test_sales_a_refund_and_the_pool_share_through_two_closed_months(
    film, make_film, make_user, make_window, shop, creator, capsys
):
    own = services.payee_for_user(user=creator)
    producer = services.payee_create(name="Coral Sea Productions", email="coral@example.com", country="AU",
                                     currency="AUD")
    collective = services.payee_create(name="Kundu Cast Collective", country="PG", currency="PGK",
                                       withholding_exempt=True, exemption_reference="IRC-EX-2026-7")
    distributor = services.payee_create(name="Pacific Distribution", country="PG", currency="PGK")
    services.withholding_rate_set(country="AU", rate_bps=1000, valid_from=month(6))
    services.split_rule_set_create(film_id=film.pk, valid_from=month(2),
                                   shares=[(own.pk, 5000), (producer.pk, 3000), (collective.pk, 2000)])
    advance = services.advance_create(payee=distributor, film_id=film.pk, currency="PGK", amount_minor=1000,
                                      starts_on=month(2))
    other_film = make_film("Another", owner=make_user("creator"))
    tvod, pvod = make_window("tvod"), make_window("pvod")

    # Month one: a purchase (K35.00, BSP-like fee 88) and a rental (K15.00, fee 38); a subscription (K35.00, fee
    # 53) whose pool share is watched 3:1 between this film and another creator's.
    shop.sell(pvod, at=at(month(2), 3), fee=88)  # 70% of 3412 = 2388 to the rights holders
    rental = shop.sell(tvod, at=at(month(2), 4), fee=38)  # 70% of 1462 = 1023
    shop.subscribe(at=at(month(2), 5), fee=53)  # 70% of 3447 = 2413 to the pool
    billing_services.watch_time_record(film_id=film.pk, period=month(2), seconds=300)
    billing_services.watch_time_record(film_id=other_film.pk, period=month(2), seconds=100)
    services.period_close(period=month(2))  # splits the pool first: 1810 to the film, 603 to the other

    # pvod 2388: the advance's 1000 first, then 1388 by 50:30:20 -> 694, 416.4, 277.6 -> 694, 416, 278;
    # svod 1810 -> 905, 543, 362; tvod 1023 -> 511.5, 306.9, 204.6 -> 511, 307, 205 (largest remainders).
    # The producer's 10%, per posting: 42 + 54 + 31 = 127.
    closed = {s.payee_id: s for s in Statement.objects.filter(period=month(2))}
    assert figures(closed[own.pk]) == (0, 2110, 0, 0, 0, 2110)
    assert figures(closed[producer.pk]) == (0, 1266, 0, 127, 0, 1139)
    assert figures(closed[collective.pk]) == (0, 845, 0, 0, 0, 845)
    assert figures(closed[distributor.pk]) == (0, 1000, 0, 0, 0, 1000)
    other = selectors.payee_for_user_get(user_id=other_film.creator_id)
    assert figures(closed[other.pk]) == (0, 603, 0, 0, 0, 603)
    assert [(r["model"], r["share_minor"], r["recouped_minor"]) for r in closed[distributor.pk].lines["earnings"]] \
        == [("pvod", 0, 1000)]
    assert closed[distributor.pk].lines["recoupment"][0]["outstanding_minor"] == 0
    assert [(r["model"], r["amount_minor"]) for r in closed[own.pk].lines["earnings"]] == [
        ("pvod", 694), ("svod", 905), ("tvod", 511)]

    # Month two: the rental is refunded (its month is closed: an adjustment), another purchase sells.
    shop.refund(rental, at=at(month(1), 5))
    shop.sell(pvod, at=at(month(1), 6), fee=88)  # 2388 -> 1194, 716.4, 477.6 -> 1194, 716, 478
    services.period_close(period=month(1))
    # The refund comes out of the splits alone (-511, -307, -205; 31 less withheld): the pool still covers the
    # advance, so the distributor keeps what it recouped.
    later = {s.payee_id: s for s in Statement.objects.filter(period=month(1))}
    assert figures(later[own.pk]) == (2110, 1194, -511, 0, 0, 2793)
    assert figures(later[producer.pk]) == (1139, 716, -307, 41, 0, 1507)
    assert figures(later[collective.pk]) == (845, 478, -205, 0, 0, 1118)
    assert figures(later[distributor.pk]) == (1000, 0, 0, 0, 0, 1000)
    assert figures(later[other.pk]) == (603, 0, 0, 0, 0, 603)
    assert later[own.pk].lines["adjustments"] == [{"film_id": film.pk, "title": film.title, "model": "tvod",
                                                   "amount_minor": -511}]
    assert selectors.payee_balances(payee=producer) == {"PGK": 1507}
    assert sum(s.previous_hash == closed[s.payee_id].hash for s in later.values()) == 5

    # The books, per currency: what viewers paid less refunds (10500) = fees (229) + the platform's share (3082) +
    # payees (7021) + tax withheld (168); nothing is left on the creators' accounts or in the pool.
    totals = {bucket: total for (bucket, currency), total in billing_selectors.ledger_totals().items()
              if currency == "PGK"}
    gross = totals["provider"] + totals["fees"]
    assert (gross, totals["fees"], -totals["platform"] - totals["fees"], -totals["payee"], -totals["tax"]) == (
        10500, 229, 3082, 7021, 168)
    assert "creator" not in totals and "svod" not in totals
    assert billing_selectors.ledger_unbalanced() == []
    assert advance.pk == closed[distributor.pk].lines["recoupment"][0]["advance_id"]

    call_command("royalties_verify")
    assert capsys.readouterr().out.strip() == "OK: 10 statements in 5 chains verify."
    edited = closed[producer.pk]
    tamper("UPDATE royalties_statement SET withholding_minor = 0, closing_minor = 1266 WHERE id = %s", [edited.pk])
    with pytest.raises(CommandError) as broken:
        call_command("royalties_verify")
    assert broken.value.returncode == 1
    assert f"payee {producer.pk} (Coral Sea Productions), statement {edited.pk}" in capsys.readouterr().err
