"""The creator portal's part of the daily roll-up: per viewer (unique viewers, completion, subscribers' share) and
per minute of the film (audience retention), so the studio's figures come from roll-ups, never the raw log.

Rules (the issue left them open):
- a session counts on the day it started; it is completed when its furthest position on that day reached
  PLAYBACK_COMPLETED_RATIO of the film's duration (the packaged media's, else the catalog's runtime);
- a session is "still watching" at minute m of a day when one of its heartbeats (or its stop) that day reported a
  position inside minute m (a seek forward skips minutes; a resumed session starts late)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Max

from catalog import selectors as catalog_selectors
from playback.models import (
    EventKind,
    PlaybackEvent,
    PlaybackRetentionDaily,
    PlaybackViewerDaily,
)
from transcoding import selectors as transcoding_selectors

SVOD = "svod"
MAX_MINUTES = 600  # a 10-hour film is the longest curve kept


def _durations(film_ids: set[int]) -> dict[int, float]:
    out = {}
    for film_id in film_ids:
        media = transcoding_selectors.film_media(film_id=film_id)
        if media is not None and media.duration_seconds:
            out[film_id] = media.duration_seconds
            continue
        film = catalog_selectors.film_get(film_id=film_id)
        out[film_id] = float((film.runtime_minutes or 0) * 60) if film else 0.0
    return out


def figures_rollup_day(*, day: date, begin: datetime) -> None:
    """Replace `day`'s viewer and retention roll-ups from its raw events. Call inside the roll-up's transaction."""
    events = PlaybackEvent.objects.filter(at__gte=begin, at__lt=begin + timedelta(days=1))
    viewers: dict[tuple[int, int], dict] = {}

    def row(film_id: int, user_id: int) -> dict:
        return viewers.setdefault(
            (film_id, user_id), {"sessions": 0, "completed": 0, "watched_seconds": 0.0, "svod_seconds": 0.0}
        )

    watched = events.values_list(
        "film_id", "session__user_id", "session__window_type", "session__via", "watched_seconds"
    )
    for film_id, user_id, window_type, via, seconds in watched.iterator():
        figures = row(film_id, user_id)
        figures["watched_seconds"] += seconds
        if window_type == SVOD and via == "entitlement":
            figures["svod_seconds"] += seconds
    started = dict(events.filter(kind=EventKind.START).values_list("session_id", "session__user_id"))
    furthest = (
        events.filter(session_id__in=list(started))
        .values_list("session_id", "film_id")
        .annotate(furthest=Max("position_seconds"))
    )
    rows = list(furthest)
    durations = _durations({film_id for _, film_id, _ in rows})
    for session_id, film_id, position in rows:
        figures = row(film_id, started[session_id])
        figures["sessions"] += 1
        duration = durations.get(film_id, 0.0)
        if duration > 0 and position >= duration * settings.PLAYBACK_COMPLETED_RATIO:
            figures["completed"] += 1
    minutes: dict[tuple[int, int], set] = {}
    beats = events.filter(kind__in=[EventKind.HEARTBEAT, EventKind.STOP]).values_list(
        "film_id", "session_id", "position_seconds"
    )
    for film_id, session_id, position in beats.iterator():
        minute = int(max(0.0, position) // 60)
        if minute < MAX_MINUTES:
            minutes.setdefault((film_id, minute), set()).add(session_id)
    PlaybackViewerDaily.objects.filter(day=day).delete()
    PlaybackRetentionDaily.objects.filter(day=day).delete()
    PlaybackViewerDaily.objects.bulk_create(
        PlaybackViewerDaily(day=day, film_id=film_id, user_id=user_id, **figures)
        for (film_id, user_id), figures in viewers.items()
    )
    PlaybackRetentionDaily.objects.bulk_create(
        PlaybackRetentionDaily(day=day, film_id=film_id, minute=minute, sessions=len(sessions))
        for (film_id, minute), sessions in minutes.items()
    )


def rollups_load(*, daily: list[dict], viewers: list[dict], retention: list[dict]) -> int:
    """Write roll-up rows as the roll-up would (demo data, the studio benchmark): PlaybackDaily, PlaybackViewerDaily
    and PlaybackRetentionDaily rows given as dicts of their fields, their days marked rolled so that royalties read
    them. For days without raw events only (a rolled day with events is replaced by the next roll-up anyway).
    Returns the rows written."""
    from playback.models import PlaybackDaily, RolledDay

    batch = 5000
    PlaybackDaily.objects.bulk_create((PlaybackDaily(**row) for row in daily), batch_size=batch)
    PlaybackViewerDaily.objects.bulk_create((PlaybackViewerDaily(**row) for row in viewers), batch_size=batch)
    PlaybackRetentionDaily.objects.bulk_create((PlaybackRetentionDaily(**row) for row in retention), batch_size=batch)
    days = {row["day"] for row in daily}
    RolledDay.objects.bulk_create((RolledDay(day=day) for day in days), ignore_conflicts=True)
    return len(daily) + len(viewers) + len(retention)
