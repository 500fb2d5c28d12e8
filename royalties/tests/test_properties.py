"""Properties over random months of sales, refunds, subscriptions and watch time, through billing's real services,
each month closed in turn: at every month's end, per currency, the payees' earnings + the platform's share + the
providers' fees + tax withheld (+ any SVOD pool still waiting for watch time) = what viewers paid less refunds,
exactly; nothing dated before a closed month's end is left unallocated; each month's statements account for every
royalty posting on the payees' accounts; a closed statement never changes afterwards; and the chains verify.

Hypothesis keeps its examples few by default (the suite's time); WANS_HYPOTHESIS_EXAMPLES=200 runs more."""

import os
from collections import defaultdict

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing import selectors as billing_selectors
from billing import services as billing_services
from royalties import selectors, services
from royalties.allocation import month_bounds
from royalties.models import Statement
from royalties.tests.conftest import at, month

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WANS_HYPOTHESIS_EXAMPLES", "12"))
MONTHS = 3  # month(3), month(2), month(1): all ended, closed in order

_month = st.integers(0, MONTHS - 1)
_day = st.integers(1, 27)
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("sale"), st.sampled_from("ab"), st.sampled_from(["tvod", "pvod"]),
                  st.sampled_from(["PG", "US"]), st.integers(0, 150), _month, _day),
        st.tuples(st.just("refund"), st.integers(0, 50), st.integers(0, 2)),
        st.tuples(st.just("sub"), st.integers(0, 120), _month, _day),
        st.tuples(st.just("watch"), st.sampled_from("ab"), _month, st.integers(1, 10_000)),
    ),
    min_size=1, max_size=8,
)


@pytest.fixture
def world(make_film, make_user, make_window, creator):
    """Film a: split 50/30/20 (the creator, an Australian producer taxed at 10% with a K3.00 monthly guarantee, an
    exempt collective), US sales 100% to a sales agent, a distributor's K20.00 advance recouped at 50%. Film b (another
    creator's): no split, all to its creator."""
    a, b = make_film("A"), make_film("B", owner=make_user("creator"))
    first = month(MONTHS)
    own = services.payee_for_user(user=creator)
    producer = services.payee_create(name="Producer", country="AU", currency="AUD")
    collective = services.payee_create(name="Collective", country="PG", currency="PGK", withholding_exempt=True,
                                       exemption_reference="IRC-1")
    agent = services.payee_create(name="Agent", country="US", currency="USD")
    distributor = services.payee_create(name="Distributor", country="PG", currency="PGK")
    services.withholding_rate_set(country="AU", rate_bps=1000, valid_from=first)
    services.split_rule_set_create(film_id=a.pk, valid_from=first,
                                   shares=[(own.pk, 5000), (producer.pk, 3000), (collective.pk, 2000)])
    services.split_rule_set_create(film_id=a.pk, territory="US", valid_from=first, shares=[(agent.pk, 10000)])
    services.advance_create(payee=distributor, film_id=a.pk, currency="PGK", amount_minor=2000, starts_on=first,
                            recoup_bps=5000)
    services.guarantee_create(payee=producer, film_id=a.pk, currency="PGK", amount_minor=300, starts_on=first)
    windows = {(name, kind): make_window(kind, on=film) for name, film in (("a", a), ("b", b))
               for kind in ("tvod", "pvod")}
    return {"films": {"a": a, "b": b}, "windows": windows}


def _timeline(ops) -> list[tuple]:
    """(month index, when, op) in time order; a refund follows its sale by 0-2 months (within the closed months)."""
    events, sales = [], []
    for op in ops:
        if op[0] == "sale":
            when = at(month(MONTHS - op[5]), op[6], 8)
            events.append((op[5], when, (*op, len(sales))))  # the sale's number, for its refund
            sales.append(when)
        elif op[0] == "sub":
            events.append((op[2], at(month(MONTHS - op[2]), op[3], 9), op))
        elif op[0] == "watch":
            events.append((op[2], at(month(MONTHS - op[2]), 28, 0), op))
    for op in ops:
        if op[0] == "refund" and sales:
            index = op[1] % len(sales)
            sold = sales[index]
            k = next(i for i in range(MONTHS) if month(MONTHS - i) == sold.date().replace(day=1))
            later = min(MONTHS - 1, k + op[2])
            when = sold.replace(hour=20) if later == k else at(month(MONTHS - later), 3, 10)
            events.append((later, when, ("refund", index)))
    return sorted(events, key=lambda e: (e[1], e[2][0]))


def _check_month(k: int, snapshots: dict) -> None:
    start, end = month_bounds(month(MONTHS - k))
    totals = billing_selectors.ledger_totals(until=end)
    by_currency = defaultdict(lambda: defaultdict(int))
    for (bucket, currency), total in totals.items():
        by_currency[currency][bucket] = total
    for currency, t in by_currency.items():
        gross = t["provider"] + t["fees"]
        platform = -t["platform"] - t["fees"]  # its revenue less the fees it pays
        assert t["creator"] == 0, (currency, dict(t))  # all allocated up to the month's end
        assert -t["payee"] + platform + t["fees"] - t["tax"] - t["svod"] == gross, (currency, dict(t))
    stated = defaultdict(int)
    for s in Statement.objects.filter(period=start.date()):
        assert s.lines["late_minor"] == 0 and s.lines["other"] == []
        stated[s.currency] += s.earnings_minor + s.adjustments_minor - s.withholding_minor
        assert s.closing_minor == selectors.payee_balances(payee=s.payee, at=end).get(s.currency, 0)
    posted = defaultdict(int)
    for entry in billing_selectors.account_entries(prefix="payee:", since=start, until=end,
                                                   kinds=["royalty", "adjustment"]):
        posted[entry["currency"]] -= entry["amount_minor"]
    assert {c: v for c, v in stated.items() if v} == {c: v for c, v in posted.items() if v}
    for statement_id, fingerprint in snapshots.items():  # closed before: unchanged
        s = Statement.objects.get(pk=statement_id)
        assert (s.hash, s.closing_minor, s.lines) == fingerprint
    for s in Statement.objects.filter(period=start.date()):
        snapshots[s.pk] = (s.hash, s.closing_minor, s.lines)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS)
def test_every_month_adds_up_exactly_and_closed_statements_never_change(world, shop, ops):
    with transaction.atomic():
        sold, refunded, snapshots = {}, set(), {}
        events = _timeline(ops)
        for k in range(MONTHS):
            for _, when, op in (e for e in events if e[0] == k):
                if op[0] == "sale":
                    _, film, kind, territory, fee, _, _, number = op
                    window = world["windows"][(film, kind)]
                    sold[number] = shop.sell(window, at=when, territory=territory, fee=min(fee, 499))
                elif op[0] == "refund" and op[1] not in refunded:
                    refunded.add(op[1])
                    shop.refund(sold[op[1]], at=when)
                elif op[0] == "sub":
                    shop.subscribe(at=when, fee=op[1])
                elif op[0] == "watch":
                    billing_services.watch_time_record(film_id=world["films"][op[1]].pk, period=when.date(),
                                                       seconds=op[3])
            services.period_close(period=month(MONTHS - k))
            _check_month(k, snapshots)
        assert billing_selectors.ledger_unbalanced() == []
        assert selectors.chains_verify().ok
        transaction.set_rollback(True)
