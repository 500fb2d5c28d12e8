"""Requests per minute in the cache, for the console's health page: how many, how many answered 5xx, how many took
longer than WANS_SLOW_REQUEST_MS, and the latest of those offenders (a ring of RING slots).

Written by core.middleware.RequestLogMiddleware for every request: one `incr` on the minute's total (plus an `add`
on the minute's first request), two more and a `set` for an offender. Keys are named by the minute and expire
after KEEP_SECONDS, so nothing needs sweeping. Recording never raises: with the cache down the request is answered
and simply not counted.

The counts are as shared as the cache: one Redis for every process in production; the local-memory cache of
development counts per process (the page says which). `incr` must keep the key's expiry: Redis and locmem do (the
two caches wans/settings/base.py configures); Django's generic `incr` (database, file caches) would reset it to the
default timeout."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

KEEP_SECONDS = 65 * 60  # an hour of minutes, and a little over for the minute being read
RING = 20  # offenders kept
PREFIX = "reqstats"
KINDS = ("total", "5xx", "slow")


def _minute(at: datetime) -> int:
    return int(at.timestamp()) // 60


def _key(minute: int, kind: str) -> str:
    return f"{PREFIX}:{minute}:{kind}"


def _bump(key: str) -> int | None:
    """Add one to a counter made on first use; the new value (None from a cache that cannot be reached)."""
    try:
        return cache.incr(key)
    except ValueError:  # not there yet (or just expired)
        if cache.add(key, 1, timeout=KEEP_SECONDS):
            return 1
        return cache.incr(key)  # another request made it between our incr and our add


def request_record(*, method: str, path: str, status: int, duration_ms: float, at: datetime) -> None:
    """Count one answered request. Never raises: a cache error is logged and the request goes on uncounted."""
    try:
        minute = _minute(at)
        _bump(_key(minute, "total"))
        slow = duration_ms > settings.WANS_SLOW_REQUEST_MS
        if status >= 500:
            _bump(_key(minute, "5xx"))
        if slow:
            _bump(_key(minute, "slow"))
        if status >= 500 or slow:
            seq = _bump(f"{PREFIX}:offenders:seq")
            if seq is not None:
                entry = {"method": method, "path": path[:300], "status": status, "ms": round(duration_ms, 1),
                         "at": at.timestamp()}
                cache.set(f"{PREFIX}:offenders:{seq % RING}", entry, timeout=KEEP_SECONDS)
    except Exception:  # the cache is down or misbehaving: the request matters more than its count
        logger.warning("request not counted: the cache failed", exc_info=True)


@dataclass(frozen=True)
class Offender:
    method: str
    path: str
    status: int
    ms: float
    at: datetime


@dataclass(frozen=True)
class RequestStats:
    minutes: int
    total: int
    errors: int  # answered 5xx
    slow: int  # took longer than slow_ms
    slow_ms: int
    per_minute: list[tuple[datetime, int, int, int]]  # (minute, total, 5xx, slow), oldest first
    offenders: list[Offender]  # newest first
    shared: bool  # counted in a cache every process shares (False: this process's memory only)


def request_stats(*, now: datetime, minutes: int = 60) -> RequestStats:
    """The last `minutes` whole-or-current minutes up to `now`: totals, per minute, and the offenders among them.
    Two cache reads (get_many). With the cache down: zeros."""
    last = _minute(now)
    span = range(last - minutes + 1, last + 1)
    keys = [_key(minute, kind) for minute in span for kind in KINDS]
    ring = [f"{PREFIX}:offenders:{slot}" for slot in range(RING)]
    try:
        counts = cache.get_many(keys)
        entries = cache.get_many(ring).values()
    except Exception:  # the page still renders: the dependency checks say the cache is down
        logger.warning("request counts unreadable: the cache failed", exc_info=True)
        counts, entries = {}, []
    per_minute = [
        (datetime.fromtimestamp(minute * 60, tz=UTC), *(int(counts.get(_key(minute, kind)) or 0) for kind in KINDS))
        for minute in span
    ]
    since = span[0] * 60
    offenders = sorted(
        (Offender(e["method"], e["path"], e["status"], e["ms"], datetime.fromtimestamp(e["at"], tz=UTC))
         for e in entries if isinstance(e, dict) and since <= e.get("at", 0) <= now.timestamp()),
        key=lambda o: o.at, reverse=True,
    )
    return RequestStats(
        minutes=minutes,
        total=sum(row[1] for row in per_minute),
        errors=sum(row[2] for row in per_minute),
        slow=sum(row[3] for row in per_minute),
        slow_ms=settings.WANS_SLOW_REQUEST_MS,
        per_minute=per_minute,
        offenders=offenders,
        shared="locmem" not in settings.CACHES["default"]["BACKEND"],
    )
