"""Playback's reads: continue watching, progress, live sessions, a film's stats, and watch time per film per
period (for billing's SVOD pool and royalties)."""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils import timezone

from playback import store
from playback.errors import PlaybackUnavailable
from playback.figures import creator_playback_figures, film_playback_figures  # noqa: F401  (the studio's)
from playback.models import PlaybackDaily, PlaybackEvent, PlaybackSession, RolledDay, WatchProgress


def continue_watching(*, profile_id: int, limit: int = 20) -> list[WatchProgress]:
    """Progress rows (film_id, position_seconds, duration_seconds, completed, updated_at), most recent first,
    not completed."""
    return list(
        WatchProgress.objects.filter(profile_id=profile_id, completed=False, position_seconds__gt=0)
        .select_related("film")
        .order_by("-updated_at")[:limit]
    )


def history_for(*, profile_id: int, limit: int = 100) -> list[WatchProgress]:
    """Everything the profile has watched, completed or not, most recent first."""
    return list(
        WatchProgress.objects.filter(profile_id=profile_id).select_related("film").order_by("-updated_at")[:limit]
    )


def progress_for(*, profile_id: int, film_ids: list[int]) -> dict[int, WatchProgress]:
    rows = WatchProgress.objects.filter(profile_id=profile_id, film_id__in=film_ids)
    return {row.film_id: row for row in rows}


def session_get(*, session_id) -> PlaybackSession | None:
    try:
        return PlaybackSession.objects.select_related("film").filter(pk=session_id).first()
    except (ValueError, TypeError, ValidationError):  # a malformed id
        return None


def sessions_active_for(*, user) -> list[PlaybackSession]:
    """The account's live sessions (for "active streams" on the account page), newest first."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.PLAYBACK_HEARTBEAT_EXPIRY_SECONDS)
    rows = PlaybackSession.objects.filter(user=user, ended_at__isnull=True, expires_at__gt=now).select_related("film")
    if store.redis_enabled():
        try:
            live = set(store.slots_live(user_id=user.pk))
        except PlaybackUnavailable:
            pass  # Redis down: a page that lists streams shows the mirror's view rather than fail (it gives none)
        else:
            return [row for row in rows.order_by("-started_at") if str(row.pk) in live]
    return list(rows.filter(last_heartbeat_at__gte=cutoff).order_by("-started_at"))


def film_stats(*, film_id: int, since: datetime | None = None) -> dict:
    """Views (sessions started), unique viewers, watch time, average bitrate, rebuffer ratio; by territory and by
    device type. From the session mirror (kept whole; the raw event log is what gets rolled up)."""
    sessions = PlaybackSession.objects.filter(film_id=film_id)
    if since is not None:
        sessions = sessions.filter(started_at__gte=since)

    def summary(queryset) -> dict:
        totals = queryset.aggregate(
            views=Count("id"),
            unique_viewers=Count("user_id", distinct=True),
            watch=Sum("watched_seconds"),
            rebuffer=Sum("rebuffer_seconds"),
            bitrate_seconds=Sum("bitrate_seconds"),
        )
        watch, rebuffer = totals["watch"] or 0.0, totals["rebuffer"] or 0.0
        return {
            "views": totals["views"],
            "unique_viewers": totals["unique_viewers"],
            "watch_seconds": round(watch, 1),
            "average_bitrate": int((totals["bitrate_seconds"] or 0.0) / watch) if watch else None,
            "rebuffer_ratio": round(rebuffer / (watch + rebuffer), 4) if watch + rebuffer else 0.0,
        }

    def split(field: str) -> dict:
        keys = sessions.order_by().values_list(field, flat=True).distinct()
        return {key or "unknown": summary(sessions.filter(**{field: key})) for key in sorted(set(keys))}

    return {
        "film_id": film_id,
        **summary(sessions),
        "by_territory": split("territory"),
        "by_device": split("device_kind"),
    }


def watch_seconds_by_film(*, start: date, end: date) -> dict[int, float]:
    """Seconds watched per film over the days [start, end) (UTC): the daily roll-up for rolled days, the raw log
    for the others: every kind of viewing, for royalties and stats. (Billing's SVOD pool gets subscription viewing
    only, fed by services.logs_rollup.)"""
    rolled = set(RolledDay.objects.filter(day__gte=start, day__lt=end).values_list("day", flat=True))
    totals: dict[int, float] = {}
    for film_id, seconds in (
        PlaybackDaily.objects.filter(day__in=rolled).values_list("film_id").annotate(s=Sum("watched_seconds"))
    ):
        totals[film_id] = totals.get(film_id, 0.0) + (seconds or 0.0)
    begin = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    finish = datetime.combine(end, datetime.min.time(), tzinfo=UTC)
    raw = PlaybackEvent.objects.filter(at__gte=begin, at__lt=finish).exclude(at__date__in=rolled)
    for film_id, seconds in raw.values_list("film_id").annotate(s=Sum("watched_seconds")):
        totals[film_id] = totals.get(film_id, 0.0) + (seconds or 0.0)
    return {film_id: round(seconds, 1) for film_id, seconds in totals.items() if seconds > 0}
