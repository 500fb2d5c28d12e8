"""Only the viewer heartbeats or stops their session (those write watch history and SVOD watch time); staff may end
it (issue 10, item 10)."""

import pytest

from playback.models import PlaybackEvent, PlaybackSession

pytestmark = pytest.mark.django_db


def test_staff_may_end_a_viewers_session_but_not_heartbeat_or_stop_it(
    viewer, staff, film, svod, media, subscribe, client_for
):
    subscribe(viewer, "basic")
    started = client_for(viewer).post("/api/sessions/start", {"film": film.pk}, format="json").json()
    admin = client_for(staff)
    row = PlaybackSession.objects.get()
    events_before = list(PlaybackEvent.objects.values_list("kind", flat=True))

    heartbeat = admin.post(started["heartbeat_url"], {"position": 600.0}, format="json")
    stop = admin.post(started["stop_url"], {"position": 600.0}, format="json")

    assert (heartbeat.status_code, stop.status_code) == (404, 404)
    assert heartbeat.json()["error"]["code"] == stop.json()["error"]["code"] == "not_found"
    unchanged = PlaybackSession.objects.get()
    assert (unchanged.position_seconds, unchanged.last_heartbeat_at, unchanged.ended_at) == (
        row.position_seconds, row.last_heartbeat_at, None)
    assert list(PlaybackEvent.objects.values_list("kind", flat=True)) == events_before

    ended = admin.delete(f"/api/sessions/{started['id']}")

    assert ended.status_code == 200 and ended.json()["end_reason"] == "ended_by_viewer"
    assert PlaybackSession.objects.get().ended_at is not None
    assert list(PlaybackEvent.objects.values_list("kind", flat=True)) == events_before


def test_the_owner_still_heartbeats_and_stops(viewer, film, svod, media, subscribe, client_for):
    subscribe(viewer, "basic")
    client = client_for(viewer)
    started = client.post("/api/sessions/start", {"film": film.pk}, format="json").json()

    assert client.post(started["heartbeat_url"], {"position": 3.0}, format="json").json()["action"] == "continue"
    assert client.post(started["stop_url"], {"position": 3.5}, format="json").json()["end_reason"] == "stopped"
    assert PlaybackSession.objects.get().position_seconds == 3.5
