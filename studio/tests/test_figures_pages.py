"""The studio's dashboard, film analytics and revenue pages: exact figures from roll-ups and the ledger, CSV
exports equal to the tables, a fixed number of queries whatever the number of films, and another creator's ids
answered 404 on every page and export."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing import services as billing_services
from catalog import services as catalog_services
from core.money import Money
from core.testing.films import media_rows
from playback import services as playback_services
from rights import services as rights_services

pytestmark = pytest.mark.django_db

PRICES = {"tvod": {"PGK": 1500, "USD": 499}, "pvod": {"PGK": 3500, "USD": 1499}}


# `creator` and `staff` come from the shared fixtures (core/testing/fixtures.py).
@pytest.fixture
def other(make_user):
    return make_user("creator")


def _film(owner, staff, title, window=None):
    film = catalog_services.film_create(creator=owner, data={"title": title, "runtime_minutes": 10})
    catalog_services.film_submit(film=film, by=owner)
    media_rows(film)  # a film is published only with playable media
    catalog_services.film_approve(film=film, by=staff)
    if window:
        film.window = rights_services.window_create(
            film=film,
            by=staff,
            window_type=window,
            territories="PG",
            starts_at=timezone.now() - timedelta(days=5),
            prices=PRICES[window],
        )
    return film


def _buy(buyer, film, at):
    payment = billing_services.checkout_purchase_start(
        user=buyer, window_id=film.window.pk, provider="bsp", territory="PG"
    )
    return billing_services.payment_confirm(
        payment_id=payment.pk, amount_minor=payment.amount_minor, currency=payment.currency, fee_minor=None, at=at
    )


def _rollups(film, day, *, starts, watched, viewers, territory="PG", device="mobile", minutes=()):
    """Roll-up rows for one film and day: `viewers` user ids each with one session; minutes: [(minute, sessions)]."""
    return {
        "daily": [
            {
                "day": day,
                "film_id": film.pk,
                "territory": territory,
                "device_kind": device,
                "starts": starts,
                "watched_seconds": watched,
                "rebuffer_seconds": 10.0,
                "bitrate_seconds": watched * 2_000_000,
            }
        ],
        "viewers": [
            {
                "day": day,
                "film_id": film.pk,
                "user_id": uid,
                "sessions": 1 if i else starts - len(viewers) + 1,  # the sessions add up to the starts
                "completed": int(i == 0),
                "watched_seconds": watched / len(viewers),
                "svod_seconds": 0.0,
            }
            for i, uid in enumerate(viewers)
        ],
        "retention": [{"day": day, "film_id": film.pk, "minute": m, "sessions": n} for m, n in minutes],
    }


def _load(*parts):
    playback_services.rollups_load(
        daily=[r for p in parts for r in p["daily"]],
        viewers=[r for p in parts for r in p["viewers"]],
        retention=[r for p in parts for r in p["retention"]],
    )


@pytest.fixture
def world(creator, other, staff, make_user):
    a = _film(creator, staff, "Kokoda Dawn", window="tvod")
    b = _film(creator, staff, "Sepik Song", window="pvod")
    x = _film(other, staff, "Not Theirs", window="tvod")
    today = timezone.now().date()
    d1, d2 = today - timedelta(days=2), today - timedelta(days=1)
    _load(
        _rollups(a, d1, starts=3, watched=1800.0, viewers=[101, 102], minutes=[(0, 3), (1, 2), (2, 1)]),
        _rollups(a, d2, starts=1, watched=600.0, viewers=[101], territory="AU", device="tv", minutes=[(0, 1)]),
        _rollups(b, d2, starts=2, watched=3600.0, viewers=[103, 104]),
        _rollups(x, d2, starts=50, watched=99000.0, viewers=[105]),
    )
    yesterday = timezone.now() - timedelta(days=1)
    buyers = [make_user() for _ in range(3)]
    _buy(buyers[0], a, yesterday)
    _buy(buyers[1], a, yesterday)
    refunded = _buy(buyers[2], b, yesterday)
    _buy(buyers[0], b, yesterday)
    billing_services.payment_refund(payment=refunded, by=staff, reason="test")
    _buy(buyers[1], x, yesterday)
    return {"a": a, "b": b, "x": x, "d1": d1, "d2": d2}


@pytest.fixture
def studio(client, creator):
    client.force_login(creator)
    return client


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_dashboard_shows_exact_figures(studio, world):
    response = studio.get("/studio/dashboard/?period=7")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["views"], figures["unique_viewers"], figures["watch_seconds"], figures["watch_hours"]) == (
        6,
        4,
        6000.0,
        1.7,
    )
    assert (figures["completed"], figures["completion_rate"], response.context["completion"]) == (3, 0.5, "50.0%")
    assert response.context["subscriber_share"] == "0.0%"
    # up to yesterday: two rentals of A and two purchases of B, 70% of each one's net (less BSP's 2.5% fee):
    # 2 x 1023 (of 1462) + 2 x 2388 (of 3412)
    assert response.context["earned"] == [{"currency": "PGK", "text": "PGK 68.22"}]
    # B's refund was posted today: a range to today nets it out
    today = timezone.now().date()
    response = studio.get(f"/studio/dashboard/?start={world['d1']}&end={today}")
    assert response.context["earned"] == [{"currency": "PGK", "text": "PGK 44.34"}]
    assert [(f["title"], f["views"], f["hours"]) for f in response.context["top_films"]] == [
        ("Sepik Song", 2, 1.0),
        ("Kokoda Dawn", 4, 0.7),
    ]
    html = response.content.decode()
    assert 'data-figure="views">6<' in html and "PGK 44.34" in html and "Not Theirs" not in html


def test_every_dashboard_table_exports_as_csv(studio, world):
    base = "/studio/dashboard/?period=7&csv="
    assert _csv(studio.get(base + "films")) == [
        ["Film", "Views", "Watch hours"],
        ["Sepik Song", "2", "1.0"],
        ["Kokoda Dawn", "4", "0.7"],
    ]
    assert _csv(studio.get(base + "territories")) == [
        ["Territory", "Views", "Watch hours"],
        ["PG", "5", "1.5"],
        ["AU", "1", "0.2"],
    ]
    assert _csv(studio.get(base + "devices")) == [
        ["Device", "Views", "Watch hours"],
        ["mobile", "5", "1.5"],
        ["tv", "1", "0.2"],
    ]
    daily = _csv(studio.get(base + "daily"))
    assert len(daily) == 8 and daily[-2:] == [
        [world["d1"].isoformat(), "3", "0.5"],
        [world["d2"].isoformat(), "3", "1.2"],
    ]
    assert _csv(studio.get(base + "revenue")) == [["Currency", "Your share (minor units)"], ["PGK", "6822"]]
    assert _csv(studio.get(base + "revenue_daily")) == [
        ["Day", "Currency", "Your share (minor units)"],
        [world["d2"].isoformat(), "PGK", "6822"],
    ]
    assert studio.get(base + "nonsense").status_code == 404


def test_a_films_analytics_are_exact(studio, world):
    response = studio.get(f"/studio/films/{world['a'].pk}/analytics/?period=7")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["views"], figures["unique_viewers"], figures["watch_seconds"]) == (4, 2, 2400.0)
    assert (figures["completed"], figures["completion_rate"]) == (2, 0.5)
    assert figures["retention"] == [
        {"minute": 0, "sessions": 4, "share": 1.0},
        {"minute": 1, "sessions": 2, "share": 0.5},
        {"minute": 2, "sessions": 1, "share": 0.25},
    ]
    assert (figures["rebuffer_ratio"], response.context["bitrate_kbps"], figures["errors"]) == (0.0083, 2000, 0)
    assert _csv(studio.get(f"/studio/films/{world['a'].pk}/analytics/?period=7&csv=retention")) == [
        ["Minute", "Sessions still watching", "Share of views"],
        ["0", "4", "100.0%"],
        ["1", "2", "50.0%"],
        ["2", "1", "25.0%"],
    ]
    assert _csv(studio.get(f"/studio/films/{world['a'].pk}/analytics/?period=7&csv=territories")) == [
        ["Territory", "Views", "Watch hours"],
        ["PG", "3", "0.5"],
        ["AU", "1", "0.2"],
    ]
    assert _csv(studio.get(f"/studio/films/{world['a'].pk}/analytics/?period=7&csv=devices")) == [
        ["Device", "Views", "Watch hours"],
        ["mobile", "3", "0.5"],
        ["tv", "1", "0.2"],
    ]
    assert len(_csv(studio.get(f"/studio/films/{world['a'].pk}/analytics/?period=7&csv=daily"))) == 8


def test_revenue_by_film_model_currency_and_month(studio, world):
    to_today = f"start={world['d1']}&end={timezone.now().date()}"  # B's refund is today's
    response = studio.get(f"/studio/revenue/?{to_today}")
    assert response.status_code == 200
    month, refund_month = (timezone.now() - timedelta(days=1)).strftime("%Y-%m"), timezone.now().strftime("%Y-%m")
    # the sales were yesterday and B's refund today: on the 1st of a month they fall in two months
    months = [(month, 4434)] if month == refund_month else [(month, 6822), (refund_month, -2388)]
    detail = [[month, "Kokoda Dawn", "Rental (TVOD)", "PGK", "2046"]] + (
        [[month, "Sepik Song", "Premium (PVOD)", "PGK", "2388"]]
        if month == refund_month
        else [
            [month, "Sepik Song", "Premium (PVOD)", "PGK", "4776"],
            [refund_month, "Sepik Song", "Premium (PVOD)", "PGK", "-2388"],
        ]
    )
    assert [(r["label"], r["text"]) for r in response.context["by_film"]] == [
        ("Kokoda Dawn", "PGK 20.46"),
        ("Sepik Song", "PGK 23.88"),
    ]
    assert [(str(r["label"]), r["text"]) for r in response.context["by_model"]] == [
        ("Premium (PVOD)", "PGK 23.88"),
        ("Rental (TVOD)", "PGK 20.46"),
    ]
    assert [(r["label"], r["text"]) for r in response.context["by_month"]] == [
        (m, Money(v, "PGK").format()) for m, v in months
    ]
    assert _csv(studio.get(f"/studio/revenue/?{to_today}&csv=detail")) == [
        ["Month", "Film", "Model", "Currency", "Your share (minor units)"],
        *detail,
    ]
    assert _csv(studio.get(f"/studio/revenue/?{to_today}&film={world['b'].pk}&csv=films")) == [
        ["Film", "Currency", "Your share (minor units)"],
        ["Sepik Song", "PGK", "2388"],
    ]
    assert _csv(studio.get(f"/studio/revenue/?{to_today}&csv=models")) == [
        ["Model", "Currency", "Your share (minor units)"],
        ["Premium (PVOD)", "PGK", "2388"],
        ["Rental (TVOD)", "PGK", "2046"],
    ]
    assert _csv(studio.get(f"/studio/revenue/?{to_today}&csv=months")) == [
        ["Month", "Currency", "Your share (minor units)"],
        *[[m, "PGK", str(v)] for m, v in months],
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_and_analytics_run_in_a_fixed_number_of_queries(studio, world, creator, staff):
    dashboard, analytics = "/studio/dashboard/?period=30", f"/studio/films/{world['a'].pk}/analytics/?period=30"
    before = (_queries(studio, dashboard), _queries(studio, analytics), _queries(studio, "/studio/revenue/"))
    day = world["d1"] - timedelta(days=3)
    more = [_film(creator, staff, f"More {n}") for n in range(10)]
    _load(
        *(
            _rollups(film, day, starts=1, watched=60.0, viewers=[200 + n], minutes=[(0, 1)])
            for n, film in enumerate(more)
        )
    )
    after = (_queries(studio, dashboard), _queries(studio, analytics), _queries(studio, "/studio/revenue/"))
    assert before == after
    # the session (from the cache when sessions are cached_db, on Redis), the user, the seat (creator profile), the
    # creator's films, six roll-up queries, two ledger queries, and the site header's profile
    session_read = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    assert after[0] == 12 + session_read
    assert after[1] == 10 + session_read  # no ledger queries; the film's own lookup instead of the list


def test_another_creators_film_is_not_found_on_every_page_and_export(studio, world):
    x = world["x"].pk
    for url in (
        f"/studio/films/{x}/analytics/",
        f"/studio/films/{x}/analytics/?csv=retention",
        f"/studio/films/{x}/analytics/?csv=territories",
        f"/studio/films/{x}/analytics/?csv=devices",
        f"/studio/films/{x}/analytics/?csv=daily",
        f"/studio/revenue/?film={x}",
        f"/studio/revenue/?film={x}&csv=detail",
        f"/studio/revenue/?film={x}&csv=films",
        "/studio/films/999999/analytics/",
        "/studio/revenue/?film=abc",
    ):
        assert studio.get(url).status_code == 404, url


def test_no_figures_for_someone_who_is_not_a_creator(client, make_user, world):
    client.force_login(make_user())
    for url in (
        "/studio/dashboard/",
        "/studio/revenue/",
        f"/studio/films/{world['a'].pk}/analytics/",
        "/studio/dashboard/?csv=films",
    ):
        assert client.get(url).status_code == 404, url


def test_signed_out_is_sent_to_sign_in(client, world):
    response = client.get("/studio/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_bad_period_is_a_message_on_the_page(studio, world):
    for query, field in (
        ("period=8", "period"),
        ("month=2027-13", "month"),
        ("start=2027-01-05&end=2027-01-01", "end"),
        ("start=nope&end=2027-01-01", "start"),
    ):
        response = studio.get(f"/studio/dashboard/?{query}")
        assert response.status_code == 400, query
        assert response.context["error"].field == field
        assert 'role="alert"' in response.content.decode()
    assert studio.get(f"/studio/films/{world['a'].pk}/analytics/?period=8").status_code == 400
    assert studio.get("/studio/revenue/?month=x").status_code == 400


def test_a_month_and_a_custom_range(studio, world):
    d1, d2 = world["d1"], world["d2"]
    response = studio.get(f"/studio/dashboard/?start={d2}&end={d2}")
    assert (response.context["figures"]["views"], response.context["period"].query) == (3, f"start={d2}&end={d2}")
    response = studio.get(f"/studio/dashboard/?month={d1:%Y-%m}")
    expected = 3 + (3 if d2.month == d1.month else 0)
    assert response.context["figures"]["views"] == expected


@pytest.mark.parametrize(("role", "status"), [("analyst", 200), ("editor", 403)])
def test_a_teammate_reads_figures_only_as_an_analyst(client, make_user, world, creator, monkeypatch, role, status):
    from studio import access
    from studio.views import figures

    mate = make_user()
    monkeypatch.setattr(figures, "studio_seat", lambda *, user: access.Seat(creator=creator, role=role))
    client.force_login(mate)
    for url in (
        "/studio/dashboard/",
        "/studio/revenue/",
        f"/studio/films/{world['a'].pk}/analytics/",
        "/studio/dashboard/?csv=films",
    ):
        assert client.get(url).status_code == status, url
    if status == 200:  # the creator's figures, not the teammate's own (none)
        assert client.get("/studio/dashboard/?period=7").context["figures"]["views"] == 6
        assert client.get(f"/studio/films/{world['x'].pk}/analytics/").status_code == 404
