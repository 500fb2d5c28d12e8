"""Statements: one per payee, month and currency, chained per payee across currencies; never changed once closed
(the database refuses, the model refuses); the chain verifies and breaks after an edit made behind the trigger's
back; the beat's close runs every due month in order; the payee is emailed once; the payee's currency is shown at
the rates recorded on the statement."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from royalties import chain, selectors, services
from royalties.models import Statement, StatementRun
from royalties.tests.conftest import at, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(creator):
    return services.payee_for_user(user=creator)


def _sold_in_two_currencies_over_two_months(film, make_window, shop):
    window = make_window("tvod")
    shop.sell(window, at=at(month(3)), fee=0)  # PGK 1050
    shop.sell(window, at=at(month(3), 12), territory="US", fee=0)  # USD 349
    services.period_close(period=month(3))
    shop.sell(window, at=at(month(2)), fee=0)
    services.period_close(period=month(2))


def tamper(sql: str, params=()) -> None:
    """Edit the statements table as someone with the database's keys would: around the trigger (Postgres: as a
    replica, which fires no ordinary trigger; SQLite: dropping it, within the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER royalties_statement_immutable")
            cursor.execute(sql, params)


def test_a_payees_statements_chain_across_months_and_currencies(film, make_window, shop, own):
    _sold_in_two_currencies_over_two_months(film, make_window, shop)
    rows = list(Statement.objects.filter(payee=own).order_by("sequence"))
    assert [(s.period, s.currency, s.sequence, s.opening_minor, s.closing_minor) for s in rows] == [
        (month(3), "PGK", 1, 0, 1050), (month(3), "USD", 2, 0, 349), (month(2), "PGK", 3, 1050, 2100),
        (month(2), "USD", 4, 349, 349),
    ]
    assert rows[0].previous_hash == chain.GENESIS
    assert [s.previous_hash for s in rows[1:]] == [s.hash for s in rows[:-1]]
    assert all(chain.hash_of(s) == s.hash for s in rows)
    assert rows[1].display_currency == "PGK" and rows[0].display_currency == ""  # the payee's own currency: PGK
    report = selectors.chains_verify()
    assert (report.ok, report.payees, report.statements) == (True, 1, 4)


def test_a_closed_statement_never_changes(film, make_window, shop, own):
    shop.sell(make_window("tvod"), at=at(month(2)), fee=0)
    services.period_close(period=month(2))
    closed = Statement.objects.get(payee=own)
    closed.closing_minor = 1
    with pytest.raises(Exception) as refused:
        closed.save()
    assert getattr(refused.value, "code", None) == "statement_closed"
    with pytest.raises(Exception) as refused:
        closed.delete()
    assert getattr(refused.value, "code", None) == "statement_closed"
    with pytest.raises(DatabaseError), transaction.atomic():
        Statement.objects.filter(pk=closed.pk).update(closing_minor=1)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            Statement.objects.filter(pk=closed.pk).delete()
    assert services.statement_emailed(statement_id=closed.pk, at=closed.closed_at) is True  # the one column
    assert services.statement_emailed(statement_id=closed.pk, at=closed.closed_at) is False
    fresh = Statement.objects.get(pk=closed.pk)
    assert (fresh.closing_minor, fresh.hash, fresh.emailed_at) == (1050, closed.hash, closed.closed_at)
    assert selectors.chains_verify().ok


def test_royalties_verify_passes_then_names_the_first_break_after_an_edit(film, make_window, shop, own, capsys):
    _sold_in_two_currencies_over_two_months(film, make_window, shop)
    call_command("royalties_verify")
    assert capsys.readouterr().out.strip() == "OK: 4 statements in 1 chains verify."
    second = Statement.objects.get(payee=own, sequence=2)
    tamper("UPDATE royalties_statement SET closing_minor = closing_minor + 100000 WHERE id = %s", [second.pk])
    with pytest.raises(CommandError) as broken:
        call_command("royalties_verify")
    assert broken.value.returncode == 1
    first = selectors.chains_verify().first_break
    assert (first.statement_id, first.what, first.stored) == (second.pk, "hash", second.hash)
    assert first.expected != second.hash
    assert f"statement {second.pk} {month(3):%Y-%m} USD (#2): hash expected {first.expected}" in capsys.readouterr().err


def test_removing_a_statement_breaks_the_chain(film, make_window, shop, own):
    _sold_in_two_currencies_over_two_months(film, make_window, shop)
    second = Statement.objects.get(payee=own, sequence=2)
    tamper("DELETE FROM royalties_statement WHERE id = %s", [second.pk])
    first = selectors.chains_verify().first_break
    assert (first.what, first.expected, first.stored) == ("sequence", "2", "3")


def test_the_beat_closes_every_due_month_in_order_once(film, make_window, shop, own, settings):
    window = make_window("tvod")
    shop.sell(window, at=at(month(3)), fee=0)
    shop.sell(window, at=at(month(1)), fee=0)
    first_of_this_month = at(month(0), 1, 0)
    settings.ROYALTIES_CLOSE_AFTER_HOURS = 2
    assert services.statements_close_due(now=first_of_this_month + timedelta(hours=1)) == [
        f"{month(3):%Y-%m}", f"{month(2):%Y-%m}"]  # last month waits for its last day's watch time
    assert services.statements_close_due(now=first_of_this_month + timedelta(hours=2)) == [f"{month(1):%Y-%m}"]
    assert services.statements_close_due(now=first_of_this_month + timedelta(hours=3)) == []
    assert list(StatementRun.objects.order_by("period").values_list("period", "statements")) == [
        (month(3), 1), (month(2), 1), (month(1), 1)]  # a quiet month still states the balance
    assert [s.closing_minor for s in Statement.objects.filter(payee=own).order_by("sequence")] == [1050, 1050, 2100]


def test_the_payee_is_emailed_once_when_a_statement_closes(film, make_window, shop, own,
                                                            django_capture_on_commit_callbacks):
    silent = services.payee_create(name="No Email Collective", country="PG", currency="PGK")
    services.split_rule_set_create(film_id=film.pk, shares=[(own.pk, 5000), (silent.pk, 5000)], valid_from=month(3))
    shop.sell(make_window("tvod"), at=at(month(2)), fee=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.period_close(period=month(2))
    assert [message.to for message in mail.outbox] == [[own.email]]
    statement = Statement.objects.get(payee=own)
    assert "PGK 5.25" in mail.outbox[0].body and statement.hash in mail.outbox[0].body
    assert f"/studio/revenue/statements/{statement.pk}/" in mail.outbox[0].body
    assert statement.emailed_at is not None
    from royalties.tasks import statement_email

    assert statement_email(statement.pk) is False and len(mail.outbox) == 1


def test_a_statement_shows_the_payees_currency_at_the_rates_it_records(film, make_window, shop):
    rate = apps.get_model("billing", "ExchangeRate")
    rate.objects.create(currency="PGK", valid_from=month(6), rate=Decimal("0.25500000"))
    rate.objects.create(currency="AUD", valid_from=month(6), rate=Decimal("0.65000000"))
    producer = services.payee_create(name="Sepik Pictures", country="AU", currency="AUD")
    services.split_rule_set_create(film_id=film.pk, shares=[(producer.pk, 10000)], valid_from=month(3))
    shop.sell(make_window("tvod"), at=at(month(2)), fee=0)
    services.period_close(period=month(2))
    rate.objects.create(currency="PGK", valid_from=month(0), rate=Decimal("0.30000000"))  # later: not used
    statement = Statement.objects.get(payee=producer)
    assert (statement.display_currency, statement.rate, statement.display_rate) == ("AUD", "0.25500000",
                                                                                     "0.65000000")
    assert statement.rates_on == month(1) - timedelta(days=1)
    # 1050 toea * 0.255 / 0.65 = 411.92... cents: AUD 4.12
    assert selectors.statement_display(statement=statement)["closing_minor"] == 412


def test_payouts_and_their_returns_are_the_statements_payout_lines(film, make_window, shop, own):
    """The payouts app posts on payee:<id>: `payout` (payee debited, the rail's clearing credited) and `payout_back`
    (credited back); the month's statement lists both and closes on the ledger's balance."""
    from billing import services as billing_services

    shop.sell(make_window("tvod"), at=at(month(2)), fee=0)  # 1050
    services.period_close(period=month(2))

    def post(key, kind, amount, day):
        billing_services.ledger_post(
            key=key, kind=kind, occurred_at=at(month(1), day), memo=f"{kind} {key}",
            lines=[billing_services.Line(own.ledger_code, "PGK", amount),
                   billing_services.Line("clearing:digicel", "PGK", -amount)],
        )

    post("payout:1", "payout", 1050, 3)
    post("payout:1:back", "payout_back", -1050, 5)
    post("payout:2", "payout", 1000, 7)
    services.period_close(period=month(1))
    statement = Statement.objects.get(payee=own, period=month(1))
    assert (statement.opening_minor, statement.payouts_minor, statement.closing_minor) == (1050, -1000, 50)
    assert [(row["key"], row["kind"], row["amount_minor"]) for row in statement.lines["payouts"]] == [
        ("payout:1", "payout", -1050), ("payout:1:back", "payout_back", 1050), ("payout:2", "payout", -1000)]
    assert selectors.payee_balances(payee=own) == {"PGK": 50}
