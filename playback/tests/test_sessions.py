"""Starting sessions: every refusal code, the stream limit, heartbeats, expiry, entitlement ending mid-session."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from accounts import services as accounts_services
from billing import services as billing_services
from core.maturity import Maturity
from playback import services
from playback.models import EndReason, PlaybackEvent, PlaybackSession

pytestmark = pytest.mark.django_db


def _start(client, film, **extra):
    return client.post("/api/sessions/start", {"film": film.pk, **extra}, format="json")


def test_a_subscriber_starts_a_session_with_manifests_drm_and_the_plans_top_quality(
    viewer, film, svod, media, subscribe, client_for
):
    subscribe(viewer, "basic")

    answer = _start(client_for(viewer), film)

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    row = PlaybackSession.objects.get()
    assert body["id"] == str(row.pk) and row.user == viewer and row.via == "entitlement"
    assert (body["top_height"], row.top_height, row.territory) == (720, 720, "PG")
    assert [q["rung"] for q in body["qualities"]] == [720, 480, 360, 240, "audio"]
    assert body["manifests"]["hls"].startswith(f"/api/streams/{film.pk}/manifest?protocol=hls&st=")
    assert body["drm"]["encrypted"] is True and set(body["drm"]["key_ids"]) == {"sd", "hd", "audio"}
    assert all(len(kid) == 32 for kid in body["drm"]["key_ids"].values())
    assert body["resume_seconds"] == 0.0 and body["heartbeat_seconds"] == 30
    assert list(PlaybackEvent.objects.values_list("kind", flat=True)) == ["start"]


def test_no_entitlement_answers_402_with_the_offers(viewer, film, svod, make_window, client_for):
    rent = make_window("tvod", rental_hours=48, start_window_days=30)

    answer = _start(client_for(viewer), film)

    assert answer.status_code == 402
    error = answer.json()["error"]
    assert error["code"] == "no_entitlement"
    assert sorted(o["kind"] for o in error["offers"]) == ["rent", "subscribe"]
    assert next(o for o in error["offers"] if o["kind"] == "rent")["window_id"] == rent.pk
    assert PlaybackSession.objects.count() == 0


def test_window_closed_names_the_next_window(viewer, film, make_window, subscribe, client_for):
    subscribe(viewer)
    later = make_window("svod", starts_at=timezone.now() + timedelta(days=10))

    answer = _start(client_for(viewer), film)

    assert answer.status_code == 403
    error = answer.json()["error"]
    assert (error["code"], error["next_window"]["id"], error["offers"]) == ("window_closed", later.pk, [])
    assert PlaybackSession.objects.count() == 0


def test_a_territory_without_the_window_is_closed(viewer, film, svod, subscribe, client_for):
    subscribe(viewer)
    answer = _start(client_for(viewer, country="FR"), film)
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "window_closed")


def test_maturity_above_the_profiles_limit_is_refused(viewer, film, svod, subscribe, client_for):
    subscribe(viewer)
    kids = accounts_services.profile_create(user=viewer, name="Kids", is_kids=True)
    film.maturity = Maturity.MA15
    film.save(update_fields=["maturity"])

    answer = _start(client_for(viewer), film, profile=kids.pk)

    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "maturity")
    assert PlaybackSession.objects.count() == 0


def test_another_accounts_profile_is_a_field_error(viewer, make_user, film, svod, subscribe, client_for):
    other = make_user("viewer").profiles.first()
    answer = _start(client_for(viewer), film, profile=other.pk)
    assert answer.status_code == 400 and answer.json()["error"]["fields"] == {
        "profile": ["No such profile on this account."]
    }


def _device(user, key, rf):
    request = rf.get("/", HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile")
    return accounts_services.device_record(user=user, request=request, device_key=key)


def test_device_limit_refuses_a_device_beyond_the_plans_count(viewer, film, svod, media, subscribe, client_for, rf):
    subscribe(viewer, "basic")
    oldest = _device(viewer, "a", rf)
    newer = _device(viewer, "b", rf)
    Device = apps.get_model("accounts", "Device")  # test set-up: who was seen when

    Device.objects.filter(pk=oldest.pk).update(last_seen_at=timezone.now() - timedelta(days=3))
    Device.objects.filter(pk=newer.pk).update(last_seen_at=timezone.now())
    from billing import selectors as billing_selectors

    limit = billing_selectors.plan_limits_for(user=viewer).devices
    for n in range(limit - 1):
        d = _device(viewer, f"x{n}", rf)
        Device.objects.filter(pk=d.pk).update(last_seen_at=timezone.now())

    answer = _start(client_for(viewer), film, device=oldest.pk)

    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "device_limit")
    assert PlaybackSession.objects.count() == 0
    assert _start(client_for(viewer), film, device=newer.pk).status_code == 201


def test_a_signed_out_device_cannot_start(viewer, film, svod, media, subscribe, client_for, rf):
    subscribe(viewer)
    device = _device(viewer, "gone", rf)
    accounts_services.device_sign_out(user=viewer, device_id=device.pk)
    answer = _start(client_for(viewer), film, device=device.pk)
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "device_limit")


def test_the_stream_limit_refuses_the_next_start_and_lists_the_live_sessions(
    viewer, film, svod, media, subscribe, client_for
):
    subscribe(viewer, "basic")  # 1 stream
    client = client_for(viewer)
    first = _start(client, film).json()

    answer = _start(client, film)

    assert answer.status_code == 409
    error = answer.json()["error"]
    assert (error["code"], error["streams"], [s["id"] for s in error["active"]]) == ("stream_limit", 1, [first["id"]])
    assert PlaybackSession.objects.count() == 1
    # stopping frees the slot
    assert client.post(first["stop_url"], {"position": 3.0}, format="json").status_code == 200
    assert _start(client, film).status_code == 201


def test_heartbeats_record_position_and_watch_time_and_a_silent_session_expires(
    viewer, film, svod, media, subscribe, client_for, settings
):
    subscribe(viewer, "basic")
    client = client_for(viewer)
    started = _start(client, film).json()
    session = PlaybackSession.objects.get()
    at = session.started_at + timedelta(seconds=30)

    answer = services.session_heartbeat(
        session_id=session.pk,
        user=viewer,
        beat=services.Beat(position=28.0, bitrate=800_000, rebuffer_seconds=1.5),
        at=at,
    )

    assert answer == {"action": "continue", "heartbeat_seconds": 30}
    session.refresh_from_db()
    assert (session.position_seconds, session.watched_seconds, session.rebuffer_seconds) == (28.0, 28.0, 1.5)
    # 91 s without a heartbeat: the session is over and its slot free
    PlaybackSession.objects.filter(pk=session.pk).update(last_heartbeat_at=timezone.now() - timedelta(seconds=91))
    if settings.PLAYBACK_SESSION_STORE == "redis" or settings.REDIS_URL:
        from playback import store

        store._client().zadd(f"{store.PREFIX}:user:{viewer.pk}", {str(session.pk): timezone.now().timestamp() - 91})
    late = client.post(started["heartbeat_url"], {"position": 40.0}, format="json")
    assert (late.status_code, late.json()["error"]["code"]) == (410, "session_ended")
    session.refresh_from_db()
    assert session.end_reason == EndReason.EXPIRED and session.ended_at is not None
    assert _start(client, film).status_code == 201


def test_the_expiry_sweep_ends_silent_sessions(viewer, film, svod, media, subscribe, client_for):
    subscribe(viewer, "basic")
    _start(client_for(viewer), film)
    PlaybackSession.objects.update(last_heartbeat_at=timezone.now() - timedelta(seconds=120))

    assert services.sessions_expire() == 1
    assert PlaybackSession.objects.get().end_reason == EndReason.EXPIRED
    assert services.sessions_expire() == 0


def test_a_lapsed_subscription_is_answered_with_a_stop(viewer, film, svod, media, subscribe, client_for):
    subscription = subscribe(viewer)
    client = client_for(viewer)
    started = _start(client, film).json()
    billing_services.subscription_cancel(subscription=subscription, by=viewer)
    Subscription = apps.get_model("billing", "Subscription")  # the lapse itself: the period is long over

    Subscription.objects.filter(pk=subscription.pk).update(
        status="cancelled", current_period_end=timezone.now() - timedelta(days=30), ended_at=timezone.now()
    )

    answer = client.post(started["heartbeat_url"], {"position": 12.0}, format="json")

    assert answer.status_code == 200
    assert (answer.json()["action"], answer.json()["code"]) == ("stop", "no_entitlement")
    assert PlaybackSession.objects.get().end_reason == EndReason.ENTITLEMENT_ENDED


def test_a_window_closing_mid_session_stops_it(viewer, film, svod, media, subscribe, client_for):
    subscribe(viewer)
    client = client_for(viewer)
    started = _start(client, film).json()
    Window, WindowTerritory = apps.get_model("rights", "Window"), apps.get_model("rights", "WindowTerritory")

    past = timezone.now() - timedelta(minutes=1)
    Window.objects.filter(pk=svod.pk).update(ends_at=past)
    WindowTerritory.objects.filter(window_id=svod.pk).update(ends_at=past)

    answer = client.post(started["heartbeat_url"], {"position": 12.0}, format="json").json()

    assert (answer["action"], answer["code"]) == ("stop", "window_closed")


def test_a_rental_clock_starts_at_first_playback(viewer, staff, film, make_window, media, client_for):
    rent = make_window("tvod", rental_hours=48, start_window_days=30)
    entitlement = billing_services.entitlement_grant(user=viewer, window_id=rent.pk, by=staff, reason="test")
    assert entitlement.started_at is None

    answer = _start(client_for(viewer), film)

    assert answer.status_code == 201, answer.json()
    entitlement.refresh_from_db()
    assert entitlement.started_at is not None
    assert entitlement.ends_at == entitlement.started_at + timedelta(hours=48)


def test_the_viewer_ends_another_devices_session_and_sees_the_live_ones(
    viewer, make_user, film, svod, media, subscribe, client_for
):
    subscribe(viewer, "premium")
    client = client_for(viewer)
    one, two = _start(client, film).json(), _start(client, film).json()

    listed = client.get(f"/api/sessions/user/{viewer.pk}/active").json()["results"]
    assert sorted(s["id"] for s in listed) == sorted([one["id"], two["id"]])
    stranger = client_for(make_user("viewer"))
    assert stranger.get(f"/api/sessions/user/{viewer.pk}/active").status_code == 403
    assert stranger.delete(f"/api/sessions/{one['id']}").status_code == 404

    assert client.delete(f"/api/sessions/{one['id']}").json()["end_reason"] == "ended_by_viewer"

    assert [s["id"] for s in client.get(f"/api/sessions/user/{viewer.pk}/active").json()["results"]] == [two["id"]]
    assert client.post(one["heartbeat_url"], {"position": 1.0}, format="json").status_code == 410


def test_a_film_without_media_or_unpublished_cannot_start(viewer, creator, film, svod, subscribe, client_for):
    subscribe(viewer)
    apps.get_model("transcoding", "Job").objects.filter(film=film).delete()  # published, then its media removed
    answer = _start(client_for(viewer), film)
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "media_unavailable")
    assert client_for(viewer).post("/api/sessions/start", {"film": 999999}, format="json").status_code == 404
    assert client_for(viewer).post("/api/sessions/start", {}, format="json").json()["error"]["fields"] == {
        "film": ["This field is required."]
    }
    assert PlaybackSession.objects.count() == 0


def test_an_expired_rental_is_answered_with_a_stop(viewer, staff, film, make_window, media, client_for):
    rent = make_window("tvod", rental_hours=48, start_window_days=30)
    billing_services.entitlement_grant(user=viewer, window_id=rent.pk, by=staff, reason="test")
    client = client_for(viewer)
    started = _start(client, film).json()
    apps.get_model("billing", "Entitlement").objects.filter(user=viewer).update(
        ends_at=timezone.now() - timedelta(seconds=1)
    )

    answer = client.post(started["heartbeat_url"], {"position": 5.0}, format="json").json()

    assert (answer["action"], answer["code"]) == ("stop", "no_entitlement")
    assert [o["kind"] for o in answer["offers"]] == ["rent"]
    assert PlaybackSession.objects.get().end_reason == EndReason.ENTITLEMENT_ENDED


def test_staff_preview_a_film_in_review_without_an_entitlement_and_a_viewer_cannot(
    viewer, staff, film, media, client_for
):
    """The console's review page plays through this same protected path: staff may, a viewer may not."""
    apps.get_model("catalog.Film").objects.filter(pk=film.pk).update(status="in_review")

    refused = _start(client_for(viewer), film)
    assert refused.status_code in (403, 404), refused.json()
    assert not PlaybackSession.objects.exists()

    answer = _start(client_for(staff), film)
    assert answer.status_code == 201, answer.json()
    row = PlaybackSession.objects.get()
    assert (row.user, row.film_id, row.via) == (staff, film.pk, "staff")
    beat = services.session_heartbeat(session_id=row.pk, user=staff, beat=services.Beat(position=10.0))
    assert beat == {"action": "continue", "heartbeat_seconds": 30}
    assert not apps.get_model("billing.Entitlement").objects.filter(user=staff).exists()
    assert answer.json()["manifests"]["hls"].startswith(f"/api/streams/{film.pk}/manifest?protocol=hls&st=")
