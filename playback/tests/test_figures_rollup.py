"""The studio's figures come from the daily roll-ups: sessions and heartbeats built here, the roll-up run, then
every figure compared exactly, before and after the raw log is gone."""

from datetime import UTC, date, datetime, timedelta

import pytest

from catalog import services as catalog_services
from playback import selectors, services
from playback.models import EventKind, PlaybackEvent, PlaybackSession

pytestmark = pytest.mark.django_db

D1, D2 = date(2027, 3, 1), date(2027, 3, 2)


def _at(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=UTC)


def _session(
    *,
    user,
    film,
    start: datetime,
    territory: str,
    device: str,
    window_type: str = "",
    via: str = "free",
    beats: list[tuple],
) -> PlaybackSession:
    """A session with its start event and `beats`: (seconds after start, kind, position, watched, bitrate,
    rebuffer)."""
    row = PlaybackSession.objects.create(
        user=user,
        film=film,
        device_kind=device,
        territory=territory,
        window_type=window_type,
        via=via,
        top_height=1080,
        started_at=start,
        expires_at=start + timedelta(hours=4),
        last_heartbeat_at=start,
    )
    PlaybackEvent.objects.create(session=row, film_id=film.pk, kind=EventKind.START, at=start)
    for after, kind, position, watched, bitrate, rebuffer in beats:
        PlaybackEvent.objects.create(
            session=row,
            film_id=film.pk,
            kind=kind,
            at=start + timedelta(seconds=after),
            position_seconds=position,
            watched_seconds=watched,
            bitrate=bitrate,
            rebuffer_seconds=rebuffer,
        )
    return row


@pytest.fixture
def built(make_user):
    creator, other = make_user("creator"), make_user("creator")
    film_a = catalog_services.film_create(creator=creator, data={"title": "Kokoda Dawn", "runtime_minutes": 10})
    film_b = catalog_services.film_create(creator=creator, data={"title": "Sepik Song", "runtime_minutes": 5})
    film_x = catalog_services.film_create(creator=other, data={"title": "Not Theirs", "runtime_minutes": 5})
    u1, u2, u3, u4 = (make_user() for _ in range(4))
    hb, stop, error = EventKind.HEARTBEAT, EventKind.STOP, EventKind.ERROR
    _session(
        user=u1,
        film=film_a,
        start=_at(D1, 10),
        territory="PG",
        device="mobile",
        window_type="svod",
        via="entitlement",
        beats=[(30, hb, 30, 30, 2_000_000, 1), (300, hb, 300, 270, 4_000_000, 0), (560, stop, 560, 260, 4_000_000, 2)],
    )
    _session(
        user=u1,
        film=film_a,
        start=_at(D1, 20),
        territory="PG",
        device="tv",
        window_type="tvod",
        via="entitlement",
        beats=[(60, hb, 60, 60, 1_000_000, 0)],
    )
    _session(
        user=u2,
        film=film_a,
        start=_at(D2, 8),
        territory="AU",
        device="desktop",
        beats=[(45, hb, 45, 45, None, 0), (46, error, 45, 0, None, 0)],
    )
    _session(
        user=u3,
        film=film_b,
        start=_at(D2, 9),
        territory="PG",
        device="mobile",
        beats=[(290, hb, 290, 290, 3_000_000, 0)],
    )
    _session(
        user=u4, film=film_x, start=_at(D1, 11), territory="PG", device="mobile", beats=[(100, hb, 100, 100, None, 0)]
    )
    assert services.logs_rollup(today=D2 + timedelta(days=1)) == [D1, D2]
    return {"creator": creator, "a": film_a, "b": film_b, "x": film_x}


def _creator_figures(built):
    return selectors.creator_playback_figures(
        film_ids=[built["a"].pk, built["b"].pk], start=D1, end=D2 + timedelta(days=1)
    )


def test_a_creators_figures_over_a_period_are_exact(built):
    a, b = built["a"].pk, built["b"].pk
    assert _creator_figures(built) == {
        "views": 4,
        "watch_seconds": 955.0,
        "watch_hours": 0.3,
        "unique_viewers": 3,
        "completed": 2,
        "completion_rate": 0.5,
        "svod_seconds": 560.0,
        "subscriber_share": 0.5864,  # 560 / 955
        "by_film": [{"key": a, "views": 3, "watch_seconds": 665.0}, {"key": b, "views": 1, "watch_seconds": 290.0}],
        "by_territory": [
            {"key": "PG", "views": 3, "watch_seconds": 910.0},
            {"key": "AU", "views": 1, "watch_seconds": 45.0},
        ],
        "by_device": [
            {"key": "mobile", "views": 2, "watch_seconds": 850.0},
            {"key": "tv", "views": 1, "watch_seconds": 60.0},
            {"key": "desktop", "views": 1, "watch_seconds": 45.0},
        ],
        "daily": [{"day": D1, "views": 2, "watch_seconds": 620.0}, {"day": D2, "views": 2, "watch_seconds": 335.0}],
    }


def test_a_films_analytics_are_exact(built):
    figures = selectors.film_playback_figures(film_id=built["a"].pk, start=D1, end=D2 + timedelta(days=1))
    assert figures == {
        "film_id": built["a"].pk,
        "views": 3,
        "watch_seconds": 665.0,
        "watch_hours": 0.2,
        "unique_viewers": 2,
        "completed": 1,  # 560 s of 600 reaches 90%; 60 s and 45 s do not
        "completion_rate": 0.3333,
        "svod_seconds": 560.0,
        "subscriber_share": 0.8421,
        "retention": [  # sessions whose heartbeats fell in each minute, over the 3 views
            {"minute": 0, "sessions": 2, "share": 0.6667},
            {"minute": 1, "sessions": 1, "share": 0.3333},
            {"minute": 5, "sessions": 1, "share": 0.3333},
            {"minute": 9, "sessions": 1, "share": 0.3333},
        ],
        "rebuffer_ratio": 0.0045,  # 3 s stalled / (665 s played + 3 s)
        "average_bitrate": 3368421,  # (2M x 30 + 4M x 270 + 4M x 260 + 1M x 60) / 665
        "errors": 1,
        "by_territory": [
            {"key": "PG", "views": 2, "watch_seconds": 620.0},
            {"key": "AU", "views": 1, "watch_seconds": 45.0},
        ],
        "by_device": [
            {"key": "mobile", "views": 1, "watch_seconds": 560.0},
            {"key": "tv", "views": 1, "watch_seconds": 60.0},
            {"key": "desktop", "views": 1, "watch_seconds": 45.0},
        ],
        "daily": [{"day": D1, "views": 2, "watch_seconds": 620.0}, {"day": D2, "views": 1, "watch_seconds": 45.0}],
    }


def test_the_figures_need_no_raw_events_once_rolled(built):
    before = _creator_figures(built)
    PlaybackEvent.objects.all().delete()
    assert _creator_figures(built) == before


def test_a_period_counts_only_its_days(built):
    figures = selectors.creator_playback_figures(
        film_ids=[built["a"].pk, built["b"].pk], start=D2, end=D2 + timedelta(days=1)
    )
    assert (figures["views"], figures["unique_viewers"], figures["watch_seconds"], figures["completed"]) == (
        2,
        2,
        335.0,
        1,
    )
    assert figures["daily"] == [{"day": D2, "views": 2, "watch_seconds": 335.0}]


def test_rolling_a_day_again_replaces_its_figures(built):
    PlaybackEvent.objects.filter(at__date=D2).delete()
    from playback.models import RolledDay

    RolledDay.objects.filter(day=D2).delete()
    PlaybackEvent.objects.create(
        session=PlaybackSession.objects.filter(film=built["b"]).get(),
        film_id=built["b"].pk,
        kind=EventKind.START,
        at=_at(D2, 9),
    )
    services.logs_rollup(today=D2 + timedelta(days=1))
    figures = selectors.creator_playback_figures(film_ids=[built["b"].pk], start=D2, end=D2 + timedelta(days=1))
    assert (figures["views"], figures["unique_viewers"], figures["watch_seconds"], figures["completed"]) == (
        1,
        1,
        0.0,
        0,
    )
