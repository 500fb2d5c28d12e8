"""Server self-protection and QoE: a session asking for one segment again and again is answered 429 with
Retry-After for a while (reported once per period); the player's reports of why it gave up; the admin's figures."""

import contextlib
import time
import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.storage import storages
from django.test import Client
from django.utils import timezone

from playback import qoe, signing, throttle
from playback.errors import SegmentThrottled
from playback.models import PlaybackSession, QoeEvent

pytestmark = pytest.mark.django_db

SEGMENT = "films/7/feature/job-1/audio/seg_1.m4s"


@pytest.fixture
def segment_url(live_session):
    storages["protected"].save(SEGMENT, BytesIO(b"\x00" * 64))
    storages["protected"].save(SEGMENT.replace("seg_1", "seg_2"), BytesIO(b"\x01" * 64))
    expires = int(time.time()) + 3600

    def url(name=SEGMENT, *, session=live_session):
        token = signing.media_token(name.rsplit("/", 1)[0], session_id=str(session.pk), expires=expires)
        return signing.media_url(name, token=token)

    return url


def _session(user, film) -> PlaybackSession:
    now = timezone.now()
    return PlaybackSession.objects.create(
        user=user, film=film, top_height=720, started_at=now, expires_at=now + timedelta(hours=4),
        last_heartbeat_at=now,
    )


@pytest.fixture
def live_session(viewer, film):
    return _session(viewer, film)


def test_the_same_session_fetching_one_segment_a_fifth_time_in_a_second_is_answered_429(
    settings, segment_url, live_session, viewer, film
):
    settings.PLAYBACK_SEGMENT_FETCH_WINDOW_SECONDS = 60  # one window for the whole test, whatever the clock
    client = Client()
    answers = [client.get(segment_url()) for _ in range(6)]

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429, 429]
    assert answers[3].getvalue() == b"\x00" * 64
    refused = answers[4]
    assert refused["Retry-After"] == "30"
    assert refused["Cache-Control"] == "no-store"
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert refused.json()["error"]["retry_after"] == 30
    # the whole session is paused: its other segments too; another session is not
    assert client.get(segment_url(SEGMENT.replace("seg_1", "seg_2"))).status_code == 429
    other = segment_url(session=_session(viewer, film))
    assert client.get(other).status_code == 200
    # one throttle period, reported once, as a QoE event of the session the media token names
    event = QoeEvent.objects.get()
    assert (event.session_id, event.kind, event.detail["fetches"]) == (live_session.pk, "throttled", 5)
    today = timezone.now().date()
    assert throttle.throttled_untied(since=today, until=today) == 0


def test_a_bad_signature_is_refused_before_it_is_counted(settings, segment_url):
    forged = segment_url().replace("/films/", "/films/x/", 1)
    answers = [Client().get(forged).status_code for _ in range(6)]
    assert answers == [403] * 6
    today = timezone.now().date()
    assert throttle.throttled_untied(since=today, until=today) == 0


def test_fetches_are_counted_in_fixed_windows_and_the_throttle_lifts_after_its_period(settings):
    settings.PLAYBACK_THROTTLE_SECONDS = 10
    start = 1_000_000.0
    for offset in (0.0, 0.2, 0.4, 0.9):  # four in one second: allowed
        throttle.segment_fetch_check(key="session-a", path="seg_1.m4s", now=start + offset)
    for offset in (1.0, 1.1, 1.2, 1.3):  # the next second is a new window
        throttle.segment_fetch_check(key="session-a", path="seg_1.m4s", now=start + offset)
    throttle.segment_fetch_check(key="session-a", path="seg_2.m4s", now=start + 1.4)  # another segment: own count
    with pytest.raises(SegmentThrottled) as refused:
        throttle.segment_fetch_check(key="session-a", path="seg_1.m4s", now=start + 1.5)
    assert refused.value.extra == {"retry_after": 10}
    with pytest.raises(SegmentThrottled) as still:
        throttle.segment_fetch_check(key="session-a", path="seg_2.m4s", now=start + 5.0)
    assert still.value.extra == {"retry_after": 7}  # 1.5 + 10 - 5.0, rounded up
    throttle.segment_fetch_check(key="session-b", path="seg_1.m4s", now=start + 5.0)  # another session plays on
    throttle.segment_fetch_check(key="session-a", path="seg_1.m4s", now=start + 11.6)  # the period is over


def test_a_throttle_period_of_a_known_session_is_one_qoe_event(settings, live_session):
    settings.PLAYBACK_THROTTLE_SECONDS = 10
    start = float(int(time.time()))  # on a second's start: the 0.4 s storm stays in one fixed one-second window
    refusals = 0
    for n in range(40):  # a storm: 40 fetches of one segment in 0.4 s
        try:
            throttle.segment_fetch_check(
                key=str(live_session.pk), path="seg_1.m4s", session_id=str(live_session.pk), now=start + n / 100
            )
        except SegmentThrottled:
            refusals += 1
    assert refusals == 36
    event = QoeEvent.objects.get()
    assert (event.session_id, event.kind) == (live_session.pk, "throttled")
    assert event.detail == {"path": "seg_1.m4s", "fetches": 5, "window_seconds": 1}
    today = timezone.now().date()
    assert throttle.throttled_untied(since=today, until=today) == 0


def test_the_player_reports_why_it_gave_up_with_its_session(viewer, live_session, client_for):
    client = client_for(viewer)
    answer = client.post(
        f"/api/sessions/{live_session.pk}/qoe",
        {"kind": "decrypt", "detail": {"code": "fragParsingError", "engine": "hls", "tries": 3, "secret": "x" * 9}},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    event = QoeEvent.objects.get()
    assert answer.json() == {"recorded": True, "id": event.pk, "kind": "decrypt"}
    assert event.session_id == live_session.pk
    assert event.detail == {"code": "fragParsingError", "engine": "hls", "tries": 3}  # unknown keys dropped


def test_a_qoe_report_is_refused_for_another_accounts_session_and_for_a_bad_kind(
    make_user, viewer, live_session, client_for
):
    stranger = client_for(make_user("viewer"))
    answer = stranger.post(f"/api/sessions/{live_session.pk}/qoe", {"kind": "network"}, format="json")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    answer = client_for(viewer).post(f"/api/sessions/{live_session.pk}/qoe", {"kind": "throttled"}, format="json")
    assert answer.status_code == 400 and list(answer.json()["error"]["fields"]) == ["kind"]
    answer = client_for(viewer).post(f"/api/sessions/{uuid.uuid4()}/qoe", {"kind": "network"}, format="json")
    assert answer.status_code == 404
    assert QoeEvent.objects.count() == 0


def test_a_player_in_a_loop_cannot_fill_the_qoe_table(settings, viewer, live_session, client_for):
    settings.PLAYBACK_QOE_MAX_PER_SESSION = 3
    client = client_for(viewer)
    statuses = [
        client.post(f"/api/sessions/{live_session.pk}/qoe", {"kind": "network"}, format="json").status_code
        for _ in range(5)
    ]
    assert statuses == [201, 201, 201, 200, 200]
    assert QoeEvent.objects.count() == 3


def test_the_admin_counts_qoe_events_per_kind_and_the_throttled_sessions(
    settings, staff, viewer, film, live_session, client_for
):
    now = timezone.now()
    other = _session(viewer, film)
    qoe.qoe_record(session_id=live_session.pk, kind="decrypt", detail={"tries": 3})
    qoe.qoe_record(session_id=live_session.pk, kind="throttled")
    qoe.qoe_record(session_id=other.pk, kind="throttled")
    qoe.qoe_record(session_id=other.pk, kind="throttled", at=now - timedelta(days=8))  # before the week
    second = float(int(time.time()))  # the six fetches in one fixed one-second window, whatever the clock's fraction
    for n in range(6):  # a URL without a session, throttled once
        with contextlib.suppress(SegmentThrottled):
            throttle.segment_fetch_check(key="sig:abc", path="seg_9.m4s", now=second + n / 100)

    figures = qoe.qoe_figures(days=7)
    assert figures["by_kind"]["throttled"] == {"label": "Throttled by the server", "events": 2, "sessions": 2}
    assert figures["by_kind"]["decrypt"]["events"] == 1
    assert figures["by_kind"]["network"]["events"] == 0
    assert (figures["sessions"], figures["throttled_untied"]) == (2, 1)

    client = Client()
    client.force_login(staff)
    page = client.get("/admin/playback/qoeevent/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<tr data-kind="throttled"><th scope="row">Throttled by the server</th><td>2</td><td>2</td></tr>' in html
    assert '<tr data-kind="throttled-untied"><th scope="row">Throttled, URL without a session</th><td>1</td>' in html
    assert '<tr data-kind="all"><th scope="row">Sessions with any event</th><td>–</td><td>2</td></tr>' in html
