"""Redis unreachable (issue 25, item 4): playback cannot count streams, so it fails closed with a coded 503."""

import pytest

from core.testing.redis import point_at_dead_redis
from playback.models import PlaybackSession

pytestmark = pytest.mark.django_db


def test_starting_playback_with_redis_down_is_a_coded_503_and_starts_nothing(
    viewer, film, svod, media, subscribe, client_for, settings
):
    subscribe(viewer)
    point_at_dead_redis(settings)

    answer = client_for(viewer).post("/api/sessions/start", {"film": film.pk}, format="json")

    assert answer.status_code == 503
    assert answer.json()["error"] == {
        "code": "playback_unavailable",
        "message": "Playback is briefly unavailable, try again in a minute",
        "fields": {},
    }
    assert PlaybackSession.objects.filter(ended_at__isnull=True).count() == 0
