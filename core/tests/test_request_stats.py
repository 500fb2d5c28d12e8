"""The request log's counts (core.request_stats): per-minute totals, 5xx and slow requests in the cache, the latest
offenders, an hour's window, and a request that is answered whatever the cache does."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from core import request_stats
from core.middleware import RequestLogMiddleware
from core.testing.redis import point_at_dead_redis

pytestmark = pytest.mark.django_db


def _serve(status: int, seconds: float, path: str = "/films/", method: str = "get"):
    """One request through the middleware, answered `status` after `seconds` (the clock it reads is patched)."""
    clock = iter([100.0, 100.0 + seconds])
    middleware = RequestLogMiddleware(lambda request: HttpResponse(status=status))
    with mock.patch("core.middleware.time.perf_counter", side_effect=lambda: next(clock)):
        return middleware(getattr(RequestFactory(), method)(path))


def _figures(stats):
    return stats.total, stats.errors, stats.slow


def test_requests_are_counted_with_their_5xx_and_slow_ones(settings):
    settings.WANS_SLOW_REQUEST_MS = 1000
    for _ in range(3):
        _serve(200, 0.010)
    _serve(500, 0.020, path="/api/broken")
    _serve(200, 1.5, path="/slow/page/")
    _serve(503, 2.0, path="/api/both", method="post")
    _serve(200, 1.0)  # exactly the limit: not slow

    stats = request_stats.request_stats(now=timezone.now())

    assert _figures(stats) == (7, 2, 2)
    assert [(o.method, o.path, o.status, o.ms) for o in stats.offenders] == [
        ("POST", "/api/both", 503, 2000.0), ("GET", "/slow/page/", 200, 1500.0), ("GET", "/api/broken", 500, 20.0),
    ]
    assert stats.slow_ms == 1000
    assert sum(row[1] for row in stats.per_minute) == 7 and len(stats.per_minute) == 60


def test_only_the_last_hour_counts():
    now = timezone.now().replace(second=30, microsecond=0)
    record = request_stats.request_record
    record(method="GET", path="/old", status=500, duration_ms=5000, at=now - timedelta(minutes=60))
    record(method="GET", path="/edge", status=500, duration_ms=5, at=now - timedelta(minutes=59, seconds=30))
    record(method="GET", path="/now", status=200, duration_ms=5, at=now)
    record(method="GET", path="/now", status=200, duration_ms=5, at=now)

    stats = request_stats.request_stats(now=now)

    assert _figures(stats) == (3, 1, 0)  # the minute an hour ago is the 61st: out
    assert [o.path for o in stats.offenders] == ["/edge"]
    assert stats.per_minute[0][1:] == (1, 1, 0) and stats.per_minute[-1][1:] == (2, 0, 0)
    assert _figures(request_stats.request_stats(now=now + timedelta(minutes=2))) == (2, 0, 0)


def test_the_offenders_kept_are_the_latest_twenty():
    now = timezone.now()
    for n in range(25):
        request_stats.request_record(method="GET", path=f"/p{n}", status=500, duration_ms=1,
                                     at=now - timedelta(seconds=25 - n))

    stats = request_stats.request_stats(now=now)

    assert stats.errors == 25
    assert [o.path for o in stats.offenders] == [f"/p{n}" for n in range(24, 4, -1)]


@pytest.mark.urls("core.tests.boom_urls")
def test_a_view_that_fails_is_counted_as_a_5xx_through_the_whole_stack():
    client = Client(raise_request_exception=False)

    assert client.get("/boom/").status_code == 500
    assert client.get("/fine/").status_code == 200

    stats = request_stats.request_stats(now=timezone.now())
    assert (stats.total, stats.errors) == (2, 1)
    assert [(o.method, o.path, o.status) for o in stats.offenders] == [("GET", "/boom/", 500)]


@pytest.mark.urls("core.tests.boom_urls")
def test_a_cache_that_raises_does_not_break_the_request(caplog):
    broken = mock.Mock(**{"incr.side_effect": ConnectionError("cache down"), "add.side_effect": ConnectionError,
                          "get_many.side_effect": ConnectionError("cache down")})
    with mock.patch.object(request_stats, "cache", broken):
        answer = Client().get("/fine/")
        stats = request_stats.request_stats(now=timezone.now())

    assert (answer.status_code, answer.content) == (200, b"fine")
    assert broken.incr.called
    assert "request not counted: the cache failed" in caplog.text
    assert (_figures(stats), stats.offenders) == ((0, 0, 0), [])


def test_with_redis_down_requests_are_answered_and_nothing_is_counted(settings):
    point_at_dead_redis(settings)

    assert Client().get("/healthz").status_code == 200
    assert _figures(request_stats.request_stats(now=timezone.now())) == (0, 0, 0)


@pytest.mark.skipif(not getattr(django_settings, "TEST_REDIS_URL", ""), reason="needs Redis (REDIS_URL)")
def test_on_redis_the_counters_are_shared_and_expire_after_65_minutes(settings):
    settings.CACHES = {"default": {
        "BACKEND": "core.cache.DegradingRedisCache", "LOCATION": settings.TEST_REDIS_URL,
        "KEY_PREFIX": "wans-test-reqstats", "OPTIONS": settings.WANS_REDIS_CACHE_OPTIONS,
    }}
    cache.clear()
    try:
        now = timezone.now()
        for n in range(4):
            request_stats.request_record(method="GET", path=f"/r{n}", status=200, duration_ms=3, at=now)
        request_stats.request_record(method="GET", path="/bad", status=502, duration_ms=3, at=now)

        stats = request_stats.request_stats(now=now)
        key = f"reqstats:{int(now.timestamp()) // 60}:total"
        assert (_figures(stats), stats.shared) == ((5, 1, 0), True)
        assert [o.path for o in stats.offenders] == ["/bad"]
        assert cache.get(key) == 5
        assert 65 * 60 - 5 <= cache.ttl(key) <= 65 * 60  # incr kept the expiry the first add set
    finally:
        cache.clear()
