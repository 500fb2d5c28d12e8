"""Playback's reads: continue watching, progress, live sessions, a film's stats, watch time per film per period
(for billing's SVOD pool and royalties), and what the player is told when a session starts."""

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from playback import drm, manifests, signing, store
from playback.errors import PlaybackUnavailable
from playback.figures import creator_playback_figures, film_playback_figures  # noqa: F401  (the studio's)
from playback.models import PlaybackDaily, PlaybackEvent, PlaybackSession, RolledDay, WatchProgress
from transcoding import selectors as transcoding_selectors

if TYPE_CHECKING:  # services imports this module
    from playback.services import Started


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


# --- the player's configuration ----------------------------------------------------------------------------------


def player_config(*, started: "Started") -> dict:
    """Everything the player needs for a session just started (services.session_start): its manifests behind a
    stream token, the DRM set-up, the qualities the plan allows, where to resume, where to send heartbeats, stops and
    QoE reports, the access answer, and the first tokens. The answer of POST /api/sessions, which the site's watch
    page calls (static/js/player.js); docs/playback.md describes each field."""
    row, media, top_height = started.session, started.media, started.limits.top_height
    film_id = row.film_id
    token = quote(signing.stream_token(session_id=str(row.pk), film_id=film_id))
    manifest = reverse("playback-api:manifest", kwargs={"film_id": film_id})
    session_url = f"/api/sessions/{row.pk}"
    return {
        "id": str(row.pk),
        "film": film_id,
        "profile": row.profile_id,
        "expires_at": row.expires_at,
        "manifests": {
            "hls": f"{manifest}?protocol=hls&st={token}",
            "dash": f"{manifest}?protocol=dash&st={token}",
            "hls_audio_only": f"{manifest}?protocol=hls&audio_only=1&st={token}" if media.audio_only else None,
        },
        "drm": _drm_config(media=media, film_id=film_id, session_id=str(row.pk), top_height=top_height),
        "resume_seconds": round(started.resume_seconds, 1),
        "duration_seconds": media.duration_seconds,
        "top_height": top_height,
        "qualities": qualities_for(media=media, top_height=top_height),
        "thumbnails_vtt": reverse("playback-api:thumbnails", kwargs={"film_id": film_id}) + f"?st={token}"
        if media.sprite_count
        else None,
        "heartbeat_url": f"{session_url}/heartbeat",
        "heartbeat_seconds": settings.PLAYBACK_HEARTBEAT_SECONDS,
        "stop_url": f"{session_url}/stop",
        "qoe_url": f"{session_url}/qoe",
        "access": started.availability["access"],
        "tokens": session_tokens(session=row, media=media),
    }


def _drm_config(*, media, film_id: int, session_id: str, top_height: int) -> dict:
    return {
        "encrypted": media.encrypted,
        "key_ids": key_ids_for(media=media, top_height=top_height),
        "hls": {"method": "AES-128"} if media.encrypted else None,
        "token_url": reverse("playback-api:drm-token", kwargs={"film_id": film_id}) + f"?session={session_id}",
        "clearkey_license_url": reverse("playback-api:clearkey", kwargs={"film_id": film_id})
        if media.encrypted
        else None,
        "license_urls": {
            system: reverse("playback-api:license", kwargs={"system": system, "film_id": film_id})
            for system in drm.SYSTEMS
            if settings.PLAYBACK_LICENSE_SERVICES.get(system, {}).get("url")
        },
    }


def session_tokens(*, session: PlaybackSession, media) -> dict:
    """Fresh short-lived tokens for a live session: one media token per folder it may fetch from (keyed by the
    folder's URL prefix), and a DRM token. Given at start, by every heartbeat and with every manifest; the player
    applies the newest to each request (static/js/player.js, tokens section)."""
    expires = signing.media_expires(session_expires_at=session.expires_at)
    return {
        "media": manifests.session_tokens(
            media, session_id=str(session.pk), expires=expires, top_height=session.top_height
        ),
        "drm": signing.drm_token(session_id=str(session.pk), film_id=session.film_id) if media.encrypted else None,
        "expires_at": datetime.fromtimestamp(expires, tz=UTC),
    }


def key_ids_for(*, media, top_height: int) -> dict[str, str]:
    """The current key id of each class the plan may hold (never a key)."""
    if not media.encrypted:
        return {}
    allowed = manifests.allowed_classes(media, top_height=top_height)
    current = transcoding_selectors.film_keys_current(film_id=media.film_id)
    return {key_class: key.kid_hex for key_class, key in sorted(current.items()) if key_class in allowed}


def qualities_for(*, media, top_height: int) -> list[dict]:
    """The renditions a plan with this top height may play (and the audio-only one), for a quality menu."""
    allowed = manifests.allowed_renditions(media, top_height=top_height)
    out = [
        {"height": r.height, "width": r.width, "rung": r.rung, "bandwidth": r.bandwidth, "codecs": r.codecs}
        for r in allowed
    ]
    if media.audio_only:
        out.append({"height": None, "width": None, "rung": "audio", "bandwidth": media.audio_only.bandwidth})
    return out


# --- The admin console's figures (issue 12) -------------------------------------------------------------------------


def streams_active_count(*, now: datetime) -> int:
    """Sessions playing now: not ended, a heartbeat within the expiry, not past their end (one COUNT on the
    (ended_at, last_heartbeat_at) index)."""
    cutoff = now - timedelta(seconds=settings.PLAYBACK_HEARTBEAT_EXPIRY_SECONDS)
    return PlaybackSession.objects.filter(ended_at__isnull=True, last_heartbeat_at__gte=cutoff,
                                          expires_at__gt=now).count()


def playback_since(*, since: datetime) -> dict:
    """Sessions started since `since` (today's, which the daily roll-up has not summed yet): views, seconds watched
    and bytes served, estimated as bitrate x seconds / 8 (the segment sizes of the renditions played). One query."""
    row = PlaybackSession.objects.filter(started_at__gte=since).aggregate(
        views=Count("id"), watched=Sum("watched_seconds"), bits=Sum("bitrate_seconds")
    )
    return {"views": row["views"], "watched_seconds": row["watched"] or 0.0, "bytes": int((row["bits"] or 0) / 8)}


def playback_per_day(*, start: date, end: date) -> dict:
    """{day: {"views", "watched_seconds", "bytes"}} from the daily roll-up for start <= day < end (one query)."""
    rows = (
        PlaybackDaily.objects.filter(day__gte=start, day__lt=end)
        .values("day")
        .annotate(views=Sum("starts"), watched=Sum("watched_seconds"), bits=Sum("bitrate_seconds"))
    )
    return {r["day"]: {"views": r["views"], "watched_seconds": r["watched"] or 0.0, "bytes": int((r["bits"] or 0) / 8)}
            for r in rows}


def sessions_open_for(*, user) -> list[PlaybackSession]:
    """The account's sessions not ended and not past their end (live or not yet expired by the sweep): what to end
    when the account is suspended."""
    return list(PlaybackSession.objects.filter(user=user, ended_at__isnull=True, expires_at__gt=timezone.now()))


def user_data_export(*, user) -> dict:
    """A person's playback sessions for a data-export download."""
    return {"sessions": list(PlaybackSession.objects.filter(user=user).order_by("started_at").values(
        "id", "film_id", "device_kind", "device_name", "territory", "started_at", "ended_at", "end_reason",
        "watched_seconds"))}
