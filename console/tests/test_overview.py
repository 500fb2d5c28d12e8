"""The overview (the admin index): exact figures on data built here, who sees it, and its query count at scale."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from console import selectors

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# The whole admin index, cold: session, user, permissions, 13 aggregates, streams now, 5 pending counts.
QUERY_BUDGET = 23


def M(label):
    return apps.get_model(label)


def _user(email, joined):
    return M("accounts.User").objects.create_user(email=email, date_joined=joined)


@pytest.fixture
def built():
    u1 = _user("a@example.com", NOW - timedelta(days=2))
    u2 = _user("b@example.com", NOW - timedelta(days=10))
    u3 = _user("c@example.com", NOW - timedelta(days=40))
    plans = {p.code: p for p in M("billing.Plan").objects.all()}
    Sub = M("billing.Subscription")
    Sub.objects.create(user=u1, plan=plans["basic"], interval="month", currency="PGK", amount_minor=3500,
                       provider="bsp", status="active")
    Sub.objects.create(user=u2, plan=plans["standard"], interval="year", currency="USD", amount_minor=14000,
                       provider="stripe", status="active")
    Sub.objects.create(user=u3, plan=plans["premium"], interval="month", currency="AUD", amount_minor=2999,
                       provider="stripe", status="trialing")
    Sub.objects.create(user=u3, plan=plans["basic"], interval="month", currency="AUD", amount_minor=1399,
                       provider="stripe", status="canceled")
    Rate = M("billing.ExchangeRate")
    Rate.objects.create(currency="PGK", valid_from=date(2026, 1, 1), rate=Decimal("0.25"))
    Rate.objects.create(currency="PGK", valid_from=date(2026, 12, 1), rate=Decimal("0.30"))  # not yet in force
    Rate.objects.create(currency="AUD", valid_from=date(2026, 1, 1), rate=Decimal("0.65"))
    Pay = M("billing.Payment")

    def pay(user, currency, amount, at, status="paid"):
        Pay.objects.create(user=user, purpose="subscription", provider="stripe", status=status, currency=currency,
                           subtotal_minor=amount, amount_minor=amount, paid_at=at)

    pay(u1, "PGK", 3500, datetime(2026, 11, 5, tzinfo=UTC))
    pay(u2, "USD", 14000, datetime(2026, 11, 20, 10, tzinfo=UTC))
    pay(u1, "PGK", 3500, datetime(2026, 10, 5, tzinfo=UTC))
    pay(u2, "USD", 999, datetime(2026, 11, 6, tzinfo=UTC), status="refunded")
    pay(u2, "USD", 500, None, status="pending")
    pay(u2, "NZD", 1000, datetime(2026, 11, 7, tzinfo=UTC))  # no NZD rate: left out of the total
    film = M("catalog.Film").objects.create(title="Reef", slug="reef", creator=u1, status="published")
    Session = M("playback.PlaybackSession")

    def session(started, watched, bitrate, live=False):
        beat = NOW - timedelta(seconds=10) if live else started + timedelta(seconds=watched)
        Session.objects.create(user=u1, film=film, top_height=720, started_at=started, expires_at=NOW + timedelta(
            hours=1) if live else beat, last_heartbeat_at=beat, watched_seconds=watched,
            bitrate_seconds=bitrate * watched, ended_at=None if live else beat)

    session(datetime(2026, 11, 20, 1, tzinfo=UTC), 600, 1_000_000)
    session(datetime(2026, 11, 20, 11, tzinfo=UTC), 1200, 2_000_000, live=True)
    session(datetime(2026, 11, 19, 20, tzinfo=UTC), 3000, 1_000_000)  # yesterday: the roll-up's
    M("playback.PlaybackDaily").objects.create(day=date(2026, 11, 19), film_id=film.pk, starts=5,
                                               watched_seconds=7200, bitrate_seconds=8e9)
    Job = M("transcoding.Job")
    done = Job.objects.create(film=film, source_path="/m.mov", source_size=10_000, state="completed")
    Job.objects.create(film=film, source_path="/m.mov", source_size=2_000, state="queued")
    Job.objects.create(film=film, source_path="/m.mov", source_size=5_000, state="cancelled")
    Job.objects.create(film=film, source_path="/m.mov", source_size=0, state="failed")
    Job.objects.filter(state="queued").update(created_at=NOW - timedelta(hours=3))
    for size in (1000, 500):
        M("transcoding.Rendition").objects.create(job=done, kind="video", representation_id="v", bitrate_kbps=1,
                                                  bandwidth=1, average_bandwidth=1, codecs="avc1", playlist="p",
                                                  size_bytes=size)


def test_overview_figures_on_built_data(built):
    o = selectors.overview_figures(now=NOW)
    assert o["users"] == {"total": 3, "new_7_days": 1, "new_30_days": 2}
    assert o["subscriptions"] == [{"plan": "Basic", "currency": "PGK", "count": 1},
                                  {"plan": "Premium", "currency": "AUD", "count": 1},
                                  {"plan": "Standard", "currency": "USD", "count": 1}]
    assert o["subscriptions_total"] == 3
    # PGK 35.00 a month, USD 140.00 a year = 11.67 a month; the trial pays nothing yet. At 0.25: USD 8.75 + 11.67.
    assert [(m.currency, m.amount_minor) for m in o["mrr"]["by_currency"]] == [("PGK", 3500), ("USD", 1167)]
    assert (o["mrr"]["reporting"].currency, o["mrr"]["reporting"].amount_minor) == ("USD", 2042)
    this, last = o["revenue"]["this"], o["revenue"]["last"]
    assert [(m.currency, m.amount_minor) for m in this["by_currency"]] == [("NZD", 1000), ("PGK", 3500),
                                                                           ("USD", 14000)]
    assert this["reporting"].amount_minor == 875 + 14000
    assert this["missing_rates"] == ["NZD"]
    assert [(m.currency, m.amount_minor) for m in last["by_currency"]] == [("PGK", 3500)]
    assert last["reporting"].amount_minor == 875
    assert o["today"] == {"views": 2, "watch_hours": 0.5, "bytes": (600 * 1_000_000 + 1200 * 2_000_000) // 8}
    assert o["storage"] == {"protected": 1500, "masters": 12_000}
    assert o["queue"]["counts"]["queued"] == 1
    assert o["queue"]["counts"]["failed"] == 1
    assert o["queue"]["running"] == 0
    assert o["queue"]["oldest_queued_at"] == NOW - timedelta(hours=3)
    series = o["series"]
    assert len(series["days"]) == 30
    assert series["views"][-2:] == [5, 2]  # yesterday from the roll-up, today from the sessions
    assert series["watch_hours"][-2:] == [2.0, 0.5]
    assert series["revenue"][-1] == 140.0  # today: USD 140.00
    assert series["revenue"][-16] == 8.75  # 5 November: PGK 35.00
    assert series["signups"][-3] == 1 and sum(series["signups"]) == 2


def test_streams_now_is_live_and_not_cached(built, settings):
    cache.clear()
    first = selectors.overview(now=NOW)
    assert first["streams_now"] == 1
    M("playback.PlaybackSession").objects.filter(ended_at__isnull=True).update(ended_at=NOW)
    again = selectors.overview(now=NOW)
    assert again["streams_now"] == 0
    assert again["users"] == first["users"]


def test_admin_index_shows_the_overview_to_an_admin(client, make_user, built):
    cache.clear()
    client.force_login(make_user("admin"))
    page = client.get("/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="console-series"' in html
    assert 'id="users-total">4<' in html  # the three built and the admin
    assert "uPlot.iife.min.js" in html


def test_staff_without_the_permission_see_no_overview(client, make_user, built):
    cache.clear()
    staff = make_user("viewer")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "console-series" not in page.content.decode()


def test_a_viewer_is_sent_to_sign_in(client, make_user):
    client.force_login(make_user("viewer"))
    page = client.get("/admin/")
    assert page.status_code == 302
    assert "/login/" in page["Location"]


def _index_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def test_the_overview_takes_a_fixed_number_of_queries_whatever_the_size(client, make_user):
    client.force_login(make_user("super admin"))
    empty = _index_queries(client)
    call_command("seed_scale", scale=0.02, seed=3, stdout=StringIO())  # 918 users, 3,124 sessions, ~1,000 payments
    seeded = _index_queries(client)
    assert seeded == empty
    assert seeded == QUERY_BUDGET
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/admin/").status_code == 200
    # the cached aggregates: session (from the cache when sessions are cached_db, on Redis), user, permissions,
    # streams now, pending (one COUNT per list), app list
    session_read = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    assert len(warm) == 9 + session_read
