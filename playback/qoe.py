"""Quality-of-experience events: a player that gave up (decryption, append or network errors after its retries)
and a session the server throttled. qoe_record writes one; qoe_figures is what the admin counts."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from playback.counters import counter_increment
from playback.errors import PlaybackInvalid, SessionNotFound
from playback.models import PlaybackSession, QoeEvent, QoeKind

DETAIL_KEYS = {"code", "message", "engine", "tries", "path", "fetches", "window_seconds", "status", "position"}


def _clean(detail: dict | None) -> dict:
    clean = {}
    for name, value in (detail or {}).items():
        if name not in DETAIL_KEYS:
            continue
        if isinstance(value, str):
            value = value[:200]
        elif not isinstance(value, int | float | bool) or value is None:
            continue
        clean[name] = value
    return clean


def qoe_record(*, session_id, kind: str, detail: dict | None = None, by=None, at: datetime | None = None):
    """Record a QoE event of a session, and return it (None when the session already has
    PLAYBACK_QOE_MAX_PER_SESSION: a player in a loop cannot fill the table). With `by` (a report from a player),
    the session must be that user's (or `by` staff); an ended session still takes its report (the player stops,
    then tells why)."""
    if kind not in QoeKind.values:
        raise PlaybackInvalid(fields={"kind": [f"One of {', '.join(QoeKind.values)}."]})
    try:
        session = PlaybackSession.objects.filter(pk=session_id).first()
    except (ValueError, TypeError):
        session = None
    if session is None or (by is not None and session.user_id != by.pk and not by.is_staff):
        raise SessionNotFound()
    if QoeEvent.objects.filter(session=session).count() >= settings.PLAYBACK_QOE_MAX_PER_SESSION:
        return None
    return QoeEvent.objects.create(session=session, kind=kind, detail=_clean(detail), created_at=at or timezone.now())


def qoe_figures(*, days: int = 7, now: datetime | None = None) -> dict:
    """Over the last `days` days: events and distinct sessions per kind, the sessions with any event, and throttle
    periods of URLs that named no session (counted in the cache by playback.throttle)."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    rows = QoeEvent.objects.filter(created_at__gte=since).values("kind").annotate(
        events=Count("id"), sessions=Count("session", distinct=True)
    )
    by_kind = {kind: {"label": label, "events": 0, "sessions": 0} for kind, label in QoeKind.choices}
    for row in rows:
        by_kind[row["kind"]].update(events=row["events"], sessions=row["sessions"])
    sessions = QoeEvent.objects.filter(created_at__gte=since).values("session").distinct().count()
    return {
        "days": days,
        "by_kind": by_kind,
        "sessions": sessions,
        "throttled_untied": throttled_untied(since=since.date(), until=now.date()),
    }


# Throttle periods of URLs tied to no session (a token whose session is gone) have no session to hang a QoE event
# on: they are counted per day in the cache instead (the segment throttle adds, the report reads).
UNTIED_PREFIX = "wans:qoe:throttled-untied"
UNTIED_KEEP_DAYS = 8


def throttled_untied_add(*, day: date) -> None:
    counter_increment(f"{UNTIED_PREFIX}:{day.isoformat()}", timeout=UNTIED_KEEP_DAYS * 86400)


def throttled_untied(*, since: date, until: date) -> int:
    """Throttle periods of URLs not tied to a session, per day from `since` to `until` (inclusive), from the cache
    (kept UNTIED_KEEP_DAYS days)."""
    days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    names = [f"{UNTIED_PREFIX}:{day.isoformat()}" for day in days]
    return sum(int(value) for value in cache.get_many(names).values())
