"""The stream limit holds under a race: 50 simultaneous starts on a 2-stream plan give exactly 2 sessions, with
Redis (the Lua script) and with the database alone (the account row lock). Real threads, real connections."""

import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections

from playback import services
from playback.errors import StreamLimitReached
from playback.models import PlaybackSession

STORES = [
    pytest.param("redis", marks=pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs REDIS_URL")),
    "db",
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("store", STORES)
def test_fifty_simultaneous_starts_on_a_two_stream_plan_give_exactly_two_sessions(
    store, settings, viewer, film, svod, media, subscribe
):
    if store == "db" and connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks: the database path is proven on Postgres")
    settings.PLAYBACK_SESSION_STORE = store
    subscribe(viewer, "standard")  # 2 streams
    barrier = threading.Barrier(50)
    outcomes, lock = [], threading.Lock()

    def start():
        try:
            barrier.wait()
            services.session_start(user=viewer, film_id=film.pk, territory="PG")
            result = "ok"
        except StreamLimitReached:
            result = "limit"
        except Exception as error:  # noqa: BLE001  (reported below)
            result = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=start) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(set(outcomes)) == ["limit", "ok"], outcomes
    assert (outcomes.count("ok"), outcomes.count("limit")) == (2, 48)
    assert PlaybackSession.objects.filter(user=viewer).count() == 2
