"""The creator portal's playback figures over a period of UTC days [start, end), read from the daily roll-ups only
(PlaybackDaily, PlaybackViewerDaily, PlaybackRetentionDaily), never the raw log. Each function runs a fixed number
of queries whatever the number of films (the docstring says how many)."""

from datetime import date, timedelta

from django.db.models import Count, Sum

from playback.models import PlaybackDaily, PlaybackRetentionDaily, PlaybackViewerDaily

UNKNOWN = ""  # the roll-up's territory or device kind when the session had none


def _ratio(part: float, whole: float, digits: int = 4) -> float:
    return round(part / whole, digits) if whole else 0.0


def _split(rows) -> list[dict]:
    """[{key, views, watch_seconds}] by watch time (then views, then key), from (key, starts, watched) rows."""
    out = [{"key": key, "views": views or 0, "watch_seconds": round(watched or 0.0, 1)} for key, views, watched in rows]
    return sorted(out, key=lambda r: (-r["watch_seconds"], -r["views"], str(r["key"])))


def _viewer_totals(*, film_ids: list[int], start: date, end: date) -> dict:
    totals = PlaybackViewerDaily.objects.filter(film_id__in=film_ids, day__gte=start, day__lt=end).aggregate(
        unique_viewers=Count("user_id", distinct=True),
        sessions=Sum("sessions"),
        completed=Sum("completed"),
        svod=Sum("svod_seconds"),
        watched=Sum("watched_seconds"),
    )
    return {
        "unique_viewers": totals["unique_viewers"],
        "completed": totals["completed"] or 0,
        "completion_rate": _ratio(totals["completed"] or 0, totals["sessions"] or 0),
        "svod_seconds": round(totals["svod"] or 0.0, 1),
        "subscriber_share": _ratio(totals["svod"] or 0.0, totals["watched"] or 0.0),
    }


def _daily_series(rows, *, start: date, end: date) -> list[dict]:
    by_day = {day: (views, watched) for day, views, watched in rows}
    out, day = [], start
    while day < end:
        views, watched = by_day.get(day, (0, 0.0))
        out.append({"day": day, "views": views or 0, "watch_seconds": round(watched or 0.0, 1)})
        day += timedelta(days=1)
    return out


def creator_playback_figures(*, film_ids: list[int], start: date, end: date) -> dict:
    """A creator's films over [start, end): views (sessions started), unique viewers (accounts), watch time,
    completion rate, subscribers' share of watch time (SVOD viewing), and by film, territory, device kind and day.
    Six queries."""
    daily = PlaybackDaily.objects.filter(film_id__in=film_ids, day__gte=start, day__lt=end).order_by()
    totals = daily.aggregate(views=Sum("starts"), watched=Sum("watched_seconds"))
    watched = totals["watched"] or 0.0

    def by(field: str) -> list:
        return list(daily.values_list(field).annotate(v=Sum("starts"), w=Sum("watched_seconds")))

    return {
        "views": totals["views"] or 0,
        "watch_seconds": round(watched, 1),
        "watch_hours": round(watched / 3600, 1),
        **_viewer_totals(film_ids=film_ids, start=start, end=end),
        "by_film": _split(by("film_id")),
        "by_territory": _split(by("territory")),
        "by_device": _split(by("device_kind")),
        "daily": _daily_series(by("day"), start=start, end=end),
    }


def film_playback_figures(*, film_id: int, start: date, end: date) -> dict:
    """One film over [start, end): views, unique viewers, watch time, completion, the audience-retention curve
    (per minute: sessions whose heartbeats reached it, and their share of the views), QoE (rebuffer ratio: stalled
    time over playing and stalled time; average bitrate in bit/s weighted by watch time; player errors), and by
    territory, device kind and day. Six queries."""
    daily = PlaybackDaily.objects.filter(film_id=film_id, day__gte=start, day__lt=end).order_by()
    totals = daily.aggregate(
        views=Sum("starts"),
        watched=Sum("watched_seconds"),
        rebuffer=Sum("rebuffer_seconds"),
        bitrate=Sum("bitrate_seconds"),
        errors=Sum("errors"),
    )
    views, watched, rebuffer = totals["views"] or 0, totals["watched"] or 0.0, totals["rebuffer"] or 0.0

    def by(field: str) -> list:
        return list(daily.values_list(field).annotate(v=Sum("starts"), w=Sum("watched_seconds")))

    minutes = (
        PlaybackRetentionDaily.objects.filter(film_id=film_id, day__gte=start, day__lt=end)
        .order_by("minute")
        .values_list("minute")
        .annotate(n=Sum("sessions"))
    )
    return {
        "film_id": film_id,
        "views": views,
        "watch_seconds": round(watched, 1),
        "watch_hours": round(watched / 3600, 1),
        **_viewer_totals(film_ids=[film_id], start=start, end=end),
        "retention": [
            {"minute": minute, "sessions": sessions, "share": _ratio(sessions, views)} for minute, sessions in minutes
        ],
        "rebuffer_ratio": _ratio(rebuffer, watched + rebuffer),
        "average_bitrate": int(round((totals["bitrate"] or 0.0) / watched)) if watched else None,
        "errors": totals["errors"] or 0,
        "by_territory": _split(by("territory")),
        "by_device": _split(by("device_kind")),
        "daily": _daily_series(by("day"), start=start, end=end),
    }
