"""Watch history (resume, continue watching, completed at 90%, removal), stats for the creator, the log roll-up
and the watch-time-per-film selector the SVOD pool uses."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from playback import selectors, services
from playback.models import PlaybackDaily, PlaybackEvent, PlaybackSession, RolledDay

pytestmark = pytest.mark.django_db


def _session(client, film, **extra):
    answer = client.post("/api/sessions/start", {"film": film.pk, **extra}, format="json")
    assert answer.status_code == 201, answer.json()
    return answer.json()


def _beat(session_id, user, position, seconds_later, **extra):
    row = PlaybackSession.objects.get(pk=session_id)
    return services.session_heartbeat(
        session_id=session_id,
        user=user,
        beat=services.Beat(position=position, duration=100.0, **extra),
        at=row.last_heartbeat_at + timedelta(seconds=seconds_later),
    )


def test_resume_continue_watching_and_completion_at_ninety_percent(viewer, film, svod, media, subscribe, client_for):
    subscribe(viewer)
    client = client_for(viewer)
    profile = viewer.profiles.first()
    first = _session(client, film)
    _beat(first["id"], viewer, 30.0, 30)
    client.post(first["stop_url"], {"position": 42.0, "duration": 100.0}, format="json")

    assert [
        (p.film_id, p.position_seconds, p.completed) for p in selectors.continue_watching(profile_id=profile.pk)
    ] == [(film.pk, 42.0, False)]
    again = _session(client, film)
    assert again["resume_seconds"] == 42.0
    history = client.get("/api/history").json()
    assert [(h["film_id"], h["position_seconds"], h["completed"]) for h in history["results"]] == [
        (film.pk, 42.0, False)
    ]

    _beat(again["id"], viewer, 91.0, 60)
    progress = selectors.progress_for(profile_id=profile.pk, film_ids=[film.pk])[film.pk]
    assert (progress.completed, progress.position_seconds) == (True, 0.0)
    assert selectors.continue_watching(profile_id=profile.pk) == []
    assert _session(client, film)["resume_seconds"] == 0.0


def test_history_removal_is_per_profile_and_refuses_what_is_not_there(
    viewer, make_user, film, svod, media, subscribe, client_for
):
    subscribe(viewer, "premium")
    client = client_for(viewer)
    session = _session(client, film)
    client.post(session["stop_url"], {"position": 10.0, "duration": 100.0}, format="json")
    other = client_for(make_user("viewer"))

    assert other.delete(f"/api/history/{film.pk}").status_code == 404
    assert client.delete(f"/api/history/{film.pk}").status_code == 204
    assert client.get("/api/history").json()["results"] == []
    assert client.delete(f"/api/history/{film.pk}").status_code == 404
    assert client.get("/api/history?profile=abc").json()["error"]["fields"] == {"profile": ["A whole number."]}


def test_stats_for_the_creator_and_staff_only(
    viewer, creator, staff, make_user, film, svod, media, subscribe, client_for
):
    subscribe(viewer, "premium")
    client = client_for(viewer)
    one = _session(client, film)
    _beat(one["id"], viewer, 20.0, 20, bitrate=1_000_000, rebuffer_seconds=5.0)
    two = _session(client_for(viewer, country="US"), film)
    _beat(two["id"], viewer, 30.0, 10, bitrate=2_000_000)  # resumed at 20: 10 s watched

    stats = client_for(creator).get(f"/api/streams/{film.pk}/stats").json()

    assert (stats["views"], stats["unique_viewers"], stats["watch_seconds"]) == (2, 1, 30.0)
    assert stats["average_bitrate"] == (20 * 1_000_000 + 10 * 2_000_000) // 30
    assert stats["rebuffer_ratio"] == round(5.0 / 35.0, 4)
    assert sorted(stats["by_territory"]) == ["PG", "US"] and stats["by_territory"]["US"]["watch_seconds"] == 10.0
    assert list(stats["by_device"]) == ["unknown"]
    assert client_for(staff).get(f"/api/streams/{film.pk}/stats").status_code == 200
    assert client_for(viewer).get(f"/api/streams/{film.pk}/stats").status_code == 403
    assert client_for(make_user("creator")).get(f"/api/streams/{film.pk}/stats").status_code == 403


def test_the_rollup_sums_complete_days_once_and_the_royalty_selector_reads_both(
    viewer, film, svod, media, subscribe, client_for, settings
):
    subscribe(viewer)
    session = _session(client_for(viewer), film)
    _beat(session["id"], viewer, 25.0, 25)
    today = timezone.now().date()
    yesterday = today - timedelta(days=1)
    PlaybackEvent.objects.update(at=timezone.now() - timedelta(days=1))
    assert services.logs_rollup(today=today) == [yesterday]
    [daily] = PlaybackDaily.objects.all()
    assert (daily.day, daily.film_id, daily.starts, daily.watched_seconds, daily.territory) == (
        yesterday,
        film.pk,
        1,
        25.0,
        "PG",
    )
    assert services.logs_rollup(today=today) == []  # once
    film.refresh_from_db()
    assert film.popularity == 1  # sessions started in the last 30 days
    assert RolledDay.objects.filter(day=yesterday).exists()
    assert selectors.watch_seconds_by_film(start=yesterday, end=today + timedelta(days=1)) == {film.pk: 25.0}
    assert selectors.watch_seconds_by_film(start=today, end=today + timedelta(days=1)) == {}

    # old raw events go after the retention; the roll-up keeps the figures
    settings.PLAYBACK_LOG_RETENTION_DAYS = 1
    services.logs_rollup(today=today + timedelta(days=2))
    assert PlaybackEvent.objects.count() == 0
    assert selectors.watch_seconds_by_film(start=date(2000, 1, 1), end=today + timedelta(days=3)) == {film.pk: 25.0}


def test_the_rollup_feeds_subscription_viewing_to_billings_svod_pool_once(
    viewer, film, svod, make_window, media, subscribe, client_for
):
    from billing import selectors as billing_selectors

    subscribe(viewer)
    session = _session(client_for(viewer), film)
    _beat(session["id"], viewer, 40.0, 40)
    PlaybackEvent.objects.update(at=timezone.now() - timedelta(days=1))
    yesterday = timezone.now().date() - timedelta(days=1)
    services.logs_rollup(today=yesterday + timedelta(days=1))
    services.logs_rollup(today=yesterday + timedelta(days=1))  # a second run feeds nothing more
    assert PlaybackSession.objects.get().window_type == "svod"
    assert billing_selectors.watch_time_of(period=yesterday) == {film.pk: 40}


def test_free_viewing_is_not_fed_to_the_svod_pool(viewer, film, make_window, media, client_for):
    from billing import selectors as billing_selectors

    make_window("avod", territories="PG")
    session = _session(client_for(viewer), film)
    _beat(session["id"], viewer, 30.0, 30)
    PlaybackEvent.objects.update(at=timezone.now() - timedelta(days=1))
    yesterday = timezone.now().date() - timedelta(days=1)
    assert services.logs_rollup(today=yesterday + timedelta(days=1)) == [yesterday]
    assert PlaybackDaily.objects.get().watched_seconds == 30.0
    assert billing_selectors.watch_time_of(period=yesterday) == {}


def test_client_events_are_logged_and_a_seek_forward_is_not_watch_time(
    viewer, film, svod, media, subscribe, client_for
):
    subscribe(viewer)
    client = client_for(viewer)
    session = _session(client, film)
    answer = client.post(
        session["heartbeat_url"],
        {
            "position": 3000.0,
            "bitrate": 500000,
            "events": [{"kind": "bitrate_switch", "to": 900000}, {"kind": "error", "code": "fragLoadError"}],
        },
        format="json",
    )
    assert answer.json()["action"] == "continue"
    row = PlaybackSession.objects.get()
    assert row.position_seconds == 3000.0 and row.watched_seconds < 5.0
    kinds = sorted(PlaybackEvent.objects.values_list("kind", flat=True))
    assert kinds == ["bitrate_switch", "error", "heartbeat", "start"]
    bad = client.post(session["heartbeat_url"], {"position": -1, "events": [{"kind": "nope"}]}, format="json")
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"position", "events.0.kind"}


def test_keys_export_for_a_license_service(film, media):
    import io
    import json

    from django.core.management import call_command

    from transcoding import selectors as transcoding_selectors

    out = io.StringIO()
    call_command("drm_keys_export", stdout=out)
    current = transcoding_selectors.film_keys_current(film_id=film.pk)
    rows = {row["key_class"]: row for row in json.loads(out.getvalue())["keys"]}
    assert set(rows) == {"sd", "hd", "uhd", "audio"}  # one key per quality class, and audio
    for key_class, row in rows.items():
        key = current[key_class]
        assert (row["film_id"], row["key_id_hex"], row["key_hex"], row["scheme"], row["generation"]) == (
            film.pk,
            key.kid_hex,
            key.key_hex,
            "cenc",
            1,
        )
        assert row["key_id_uuid"].replace("-", "") == key.kid_hex and row["retired"] is False
