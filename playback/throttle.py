"""Server self-protection: one session fetching the same file of protected media more than
PLAYBACK_SEGMENT_FETCH_LIMIT times in a fixed window of PLAYBACK_SEGMENT_FETCH_WINDOW_SECONDS is answered 429 (with
Retry-After) on every protected file for PLAYBACK_THROTTLE_SECONDS. A player that cannot decrypt or append a
segment and asks for it again and again (issue 24) then costs one cache hit per request, not a file.

Counts live in the cache (Redis when configured: shared by every web process; the local-memory cache counts per
process). `key` names the session (the media token carries its id). Each throttle period is reported once: a QoE
event when the caller knows the session, otherwise a per-day count in the cache that the admin's QoE figures show."""

import hashlib
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from playback import qoe
from playback.counters import counter_increment
from playback.errors import SegmentThrottled, SessionNotFound

PREFIX = "wans:throttle"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def segment_fetch_check(*, key: str, path: str, session_id: str | None = None, now: float | None = None) -> None:
    """Count one fetch of `path` by `key`; SegmentThrottled (429, extra retry_after in seconds) while `key` is
    throttled or when this fetch passes the limit. Call after the URL's signature is checked."""
    now = time.time() if now is None else now
    who = _digest(key)
    blocked = f"{PREFIX}:blocked:{who}"
    until = cache.get(blocked)
    if until is not None and until > now:
        raise SegmentThrottled(extra={"retry_after": max(1, math.ceil(until - now))})
    window = settings.PLAYBACK_SEGMENT_FETCH_WINDOW_SECONDS
    slot = int(now // window)
    count = counter_increment(f"{PREFIX}:count:{who}:{_digest(path)}:{slot}", timeout=window * 2 + 1)
    if count <= settings.PLAYBACK_SEGMENT_FETCH_LIMIT:
        return
    period = settings.PLAYBACK_THROTTLE_SECONDS
    if cache.add(blocked, now + period, timeout=period):  # the first refusal of this period reports it
        _report(session_id=session_id, path=path, fetches=count, window=window, at=now)
        retry_after = period
    else:
        retry_after = max(1, math.ceil((cache.get(blocked) or now + period) - now))
    raise SegmentThrottled(extra={"retry_after": retry_after})


def _report(*, session_id: str | None, path: str, fetches: int, window: int, at: float) -> None:
    if session_id:
        try:
            qoe.qoe_record(
                session_id=session_id,
                kind="throttled",
                detail={"path": path[-200:], "fetches": fetches, "window_seconds": window},
                at=datetime.fromtimestamp(at, tz=UTC),
            )
            return
        except SessionNotFound:  # deleted since its token was signed: counted as untied below
            pass
    qoe.throttled_untied_add(day=datetime.fromtimestamp(at, tz=UTC).date())


throttled_untied = qoe.throttled_untied  # the count lives with the QoE report that reads it
