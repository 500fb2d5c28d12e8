"""Playback's writes: sessions (start, heartbeat, stop, end from another device), watch progress, the playback log
and its roll-up. Redis (when configured) holds the live slots; PlaybackSession rows mirror every session."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from billing import services as billing_services
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from playback import store
from playback.access import access_check, device_check, maturity_check, plan_limits
from playback.errors import (
    FilmNotFound,
    MediaNotReady,
    PlaybackForbidden,
    PlaybackRefused,
    SessionEnded,
    SessionNotFound,
    StreamLimitReached,
)
from playback.models import (
    EndReason,
    EventKind,
    PlaybackDaily,
    PlaybackEvent,
    PlaybackSession,
    RolledDay,
    WatchProgress,
)
from playback.rollup_figures import figures_rollup_day, rollups_load  # noqa: F401  (rollups_load: the studio's demo)
from transcoding import selectors as transcoding_selectors

SVOD = "svod"  # rights' window type whose viewing splits billing's subscription pool


@dataclass
class Started:
    session: PlaybackSession
    media: "transcoding_selectors.FilmMedia"
    availability: dict
    limits: object
    resume_seconds: float


def _film_playable_by(*, film, user) -> bool:
    return film.status == "published" or catalog_selectors.film_editable_by(film=film, user=user)


def _live_q(now: datetime) -> Q:
    cutoff = now - timedelta(seconds=settings.PLAYBACK_HEARTBEAT_EXPIRY_SECONDS)
    return Q(ended_at__isnull=True, last_heartbeat_at__gte=cutoff, expires_at__gt=now)


def _active_brief(*, user_id: int, now: datetime) -> list[dict]:
    rows = PlaybackSession.objects.filter(_live_q(now), user_id=user_id).select_related("film")
    return [
        {"id": str(r.pk), "film": r.film.title, "device": r.device_name, "started_at": r.started_at.isoformat()}
        for r in rows
    ]


def session_start(
    *, user, film_id: int, profile=None, device=None, territory: str, at: datetime | None = None
) -> Started:
    """Open a playback session after every check: film, maturity, access (rights + billing), media, devices, and
    the plan's concurrent streams (atomic). First playback through a rental starts its clock (billing)."""
    at = at or timezone.now()
    film = catalog_selectors.film_get(film_id=film_id)
    if film is None or not _film_playable_by(film=film, user=user):
        raise FilmNotFound()
    maturity_check(film=film, profile=profile)
    if film.status != "published" and getattr(user, "is_staff", False):
        # Staff previewing an unpublished film they may edit (the console's review page): no window, no entitlement.
        availability = {"access": {"granted": True, "window": None, "via": "staff"}}
    else:
        availability = access_check(user=user, film_id=film.pk, territory=territory, at=at)
    media = transcoding_selectors.film_media(film_id=film.pk)
    if media is None:
        raise MediaNotReady()
    limits = plan_limits(user=user)
    device_check(user=user, device=device, limit=limits.devices)
    window = availability["access"]["window"] or {}
    resume = 0.0
    if profile is not None:
        progress = WatchProgress.objects.filter(profile_id=profile.pk, film=film, completed=False).first()
        resume = progress.position_seconds if progress else 0.0
    row = PlaybackSession(
        id=uuid.uuid4(),
        user=user,
        profile_id=profile.pk if profile else None,
        film=film,
        device_id=device.pk if device else None,
        device_kind=device.kind if device else "",
        device_name=device.name[:120] if device else "",
        territory=territory,
        window_id=window.get("id"),
        window_type=window.get("type") or "",
        via=availability["access"]["via"] or "",
        top_height=limits.top_height,
        started_at=at,
        expires_at=at + timedelta(hours=settings.PLAYBACK_SESSION_HOURS),
        last_heartbeat_at=at,
        position_seconds=resume,
    )
    _take_slot(row=row, limit=limits.streams, now=at)
    PlaybackEvent.objects.create(session=row, film_id=film.pk, kind=EventKind.START, at=at)
    if window.get("type") == "tvod" and row.via == "entitlement":
        billing_services.rental_start(user=user, window_id=window["id"], at=at)
    return Started(session=row, media=media, availability=availability, limits=limits, resume_seconds=resume)


def _take_slot(*, row: PlaybackSession, limit: int, now: datetime) -> None:
    """Exactly `limit` live sessions per account, however many starts race: a Lua script on Redis, or the account
    row locked (SELECT ... FOR UPDATE) while the live sessions are counted."""
    if store.redis_enabled():
        fields = {"user": row.user_id, "film": row.film_id, "started": row.started_at.isoformat()}
        if not store.slot_take(user_id=row.user_id, session_id=str(row.pk), limit=limit, fields=fields):
            raise StreamLimitReached(extra={"streams": limit, "active": _active_brief(user_id=row.user_id, now=now)})
        try:
            row.save(force_insert=True)
        except Exception:
            store.slot_release(user_id=row.user_id, session_id=str(row.pk))
            raise
        return
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=row.user_id).first()
        if PlaybackSession.objects.filter(_live_q(now), user_id=row.user_id).count() >= limit:
            raise StreamLimitReached(extra={"streams": limit, "active": _active_brief(user_id=row.user_id, now=now)})
        row.save(force_insert=True)


def _session_for(*, session_id, user, staff_may: bool = False) -> PlaybackSession:
    """The session, if `user` owns it (or is staff, where `staff_may`). Only the owner heartbeats or stops: those
    write the viewer's watch history and SVOD watch time. Staff may end a session, which writes neither."""
    try:
        row = PlaybackSession.objects.select_related("film").filter(pk=session_id).first()
    except (ValueError, TypeError, ValidationError):  # a malformed id
        row = None
    if row is None or (row.user_id != user.pk and not (staff_may and user.is_staff)):
        raise SessionNotFound()
    return row


def session_live(*, row: PlaybackSession, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if row.ended_at is not None or row.expires_at <= now:
        return False
    if store.redis_enabled():
        return store.slot_live(user_id=row.user_id, session_id=str(row.pk))
    cutoff = now - timedelta(seconds=settings.PLAYBACK_HEARTBEAT_EXPIRY_SECONDS)
    return row.last_heartbeat_at >= cutoff


def _end(*, row: PlaybackSession, reason: str, at: datetime) -> None:
    ended_at = at
    if reason == EndReason.EXPIRED:
        expiry = timedelta(seconds=settings.PLAYBACK_HEARTBEAT_EXPIRY_SECONDS)
        ended_at = min(at, row.last_heartbeat_at + expiry, row.expires_at)
    updated = PlaybackSession.objects.filter(pk=row.pk, ended_at__isnull=True).update(
        ended_at=ended_at, end_reason=reason
    )
    if store.redis_enabled():
        store.slot_release(user_id=row.user_id, session_id=str(row.pk))
    if updated:
        row.ended_at, row.end_reason = ended_at, reason


def _progress_record(*, row: PlaybackSession, position: float, duration: float, at: datetime) -> None:
    if row.profile_id is None:
        return
    completed = duration > 0 and position >= duration * settings.PLAYBACK_COMPLETED_RATIO
    WatchProgress.objects.update_or_create(
        profile_id=row.profile_id,
        film_id=row.film_id,
        defaults={
            "user_id": row.user_id,
            "position_seconds": 0.0 if completed else max(0.0, position),
            "duration_seconds": duration,
            "completed": completed,
            "updated_at": at,
        },
    )


@dataclass(frozen=True)
class Beat:
    position: float = 0.0
    bitrate: int | None = None
    buffer_seconds: float | None = None
    rebuffer_seconds: float = 0.0
    rebuffer_events: int = 0
    duration: float = 0.0
    events: tuple = ()


def _record_beat(*, row: PlaybackSession, beat: Beat, at: datetime, kind: str) -> None:
    """Watch time is measured here, not trusted from the client: the position's advance, at most the wall time
    since the previous beat (a seek forward is not watching)."""
    elapsed = max(0.0, (at - row.last_heartbeat_at).total_seconds())
    watched = min(max(0.0, beat.position - row.position_seconds), elapsed + 2.0)
    rebuffer = min(max(0.0, beat.rebuffer_seconds), elapsed + 2.0)
    bitrate_seconds = (beat.bitrate or 0) * watched
    PlaybackSession.objects.filter(pk=row.pk).update(
        last_heartbeat_at=at,
        position_seconds=max(0.0, beat.position),
        watched_seconds=row.watched_seconds + watched,
        rebuffer_seconds=row.rebuffer_seconds + rebuffer,
        bitrate_seconds=row.bitrate_seconds + bitrate_seconds,
    )
    events = [
        PlaybackEvent(
            session=row,
            film_id=row.film_id,
            kind=kind,
            at=at,
            position_seconds=max(0.0, beat.position),
            watched_seconds=watched,
            bitrate=beat.bitrate,
            buffer_seconds=beat.buffer_seconds,
            rebuffer_seconds=rebuffer,
            detail={"rebuffer_events": beat.rebuffer_events} if beat.rebuffer_events else {},
        )
    ]
    for event in beat.events[:50]:
        events.append(
            PlaybackEvent(
                session=row,
                film_id=row.film_id,
                kind=event["kind"],
                at=at,
                position_seconds=float(event.get("position") or beat.position),
                bitrate=event.get("bitrate"),
                detail={k: v for k, v in event.items() if k in ("message", "code", "from", "to", "fatal")},
            )
        )
    PlaybackEvent.objects.bulk_create(events)
    _progress_record(row=row, position=beat.position, duration=beat.duration or _duration(row), at=at)


def _duration(row: PlaybackSession) -> float:
    media = transcoding_selectors.film_media(film_id=row.film_id)
    return media.duration_seconds if media else 0.0


def session_heartbeat(*, session_id, user, beat: Beat, at: datetime | None = None) -> dict:
    """Keep the session alive and log the viewer's state. A session without a heartbeat for
    PLAYBACK_HEARTBEAT_EXPIRY_SECONDS has ended (SessionEnded); one whose access ended since (rental expired,
    subscription lapsed, window closed) is ended and answered with a stop and the refusal's code."""
    at = at or timezone.now()
    row = _session_for(session_id=session_id, user=user)
    if row.ended_at is not None:
        raise SessionEnded(extra={"reason": row.end_reason})
    live = (
        store.slot_beat(user_id=row.user_id, session_id=str(row.pk))
        if store.redis_enabled() and row.expires_at > at
        else session_live(row=row, now=at)
    )
    if not live:
        _end(row=row, reason=EndReason.EXPIRED, at=at)
        raise SessionEnded(extra={"reason": EndReason.EXPIRED})
    try:
        if not (row.via == "staff" and row.window_id is None):  # a staff preview (session_start) has no window
            access_check(user=row.user, film_id=row.film_id, territory=row.territory, at=at)
    except PlaybackRefused as refused:
        _record_beat(row=row, beat=beat, at=at, kind=EventKind.STOP)
        _end(row=row, reason=EndReason.ENTITLEMENT_ENDED, at=at)
        return {"action": "stop", "code": refused.code, "message": refused.message, **refused.extra}
    _record_beat(row=row, beat=beat, at=at, kind=EventKind.HEARTBEAT)
    return {"action": "continue", "heartbeat_seconds": settings.PLAYBACK_HEARTBEAT_SECONDS}


def session_stop(*, session_id, user, beat: Beat, at: datetime | None = None) -> PlaybackSession:
    """The player stops (closed, ended, navigated away): the last position is kept and the slot freed."""
    at = at or timezone.now()
    row = _session_for(session_id=session_id, user=user)
    if row.ended_at is None:
        _record_beat(row=row, beat=beat, at=at, kind=EventKind.STOP)
        _end(row=row, reason=EndReason.STOPPED, at=at)
    row.refresh_from_db()
    return row


def session_end(*, session_id, by) -> PlaybackSession:
    """The viewer (or staff) ends a session from another device: its slot is free at once, and that player's next
    heartbeat (or key request) is refused."""
    row = _session_for(session_id=session_id, user=by, staff_may=True)
    if row.user_id != by.pk and not by.is_staff:
        raise PlaybackForbidden()
    if row.ended_at is None:
        _end(row=row, reason=EndReason.ENDED_BY_VIEWER, at=timezone.now())
    row.refresh_from_db()
    return row


def sessions_expire(*, at: datetime | None = None) -> int:
    """Beat task: sessions without a heartbeat (or past their 4 hours) are ended as expired in the mirror."""
    at = at or timezone.now()
    cutoff = at - timedelta(seconds=settings.PLAYBACK_HEARTBEAT_EXPIRY_SECONDS)
    stale = PlaybackSession.objects.filter(ended_at__isnull=True).filter(
        Q(last_heartbeat_at__lt=cutoff) | Q(expires_at__lte=at)
    )
    count = 0
    for row in stale.iterator():
        _end(row=row, reason=EndReason.EXPIRED, at=at)
        count += 1
    return count


def history_remove(*, user, profile_id: int, film_id: int) -> int:
    """Remove a film from a profile's history (continue watching). The profile must be the user's."""
    deleted, _ = WatchProgress.objects.filter(user=user, profile_id=profile_id, film_id=film_id).delete()
    return deleted


# --- roll-up ------------------------------------------------------------------------------------------------------


def logs_rollup(*, today=None) -> list:
    """Beat task: every complete day (before `today`, UTC) with raw events is summed into PlaybackDaily per film,
    territory and device kind (re-running a day replaces its rows: idempotent), then raw events older than
    PLAYBACK_LOG_RETENTION_DAYS are deleted. Returns the days rolled."""
    today = today or timezone.now().date()
    start_of_today = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    rolled = set(RolledDay.objects.values_list("day", flat=True))
    pending = PlaybackEvent.objects.filter(at__lt=start_of_today).dates("at", "day").distinct()
    days = [day for day in pending if day not in rolled]
    for day in days:
        _rollup_day(day)
    retention = start_of_today - timedelta(days=settings.PLAYBACK_LOG_RETENTION_DAYS)
    PlaybackEvent.objects.filter(at__lt=retention).delete()
    popularity_update(at=timezone.now())
    return days


def _rollup_day(day: date) -> None:
    """Sum one complete UTC day of raw events into PlaybackDaily (per film, territory and device kind), replacing
    that day's rows; mark it rolled and feed billing its SVOD watch time (the writes in one transaction)."""
    begin = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    rows = (
        PlaybackEvent.objects.filter(at__gte=begin, at__lt=begin + timedelta(days=1))
        .values("film_id", "session__territory", "session__device_kind")
        .annotate(
            starts=Count("id", filter=Q(kind=EventKind.START)),
            watched=Sum("watched_seconds"),
            rebuffer=Sum("rebuffer_seconds"),
            errors=Count("id", filter=Q(kind=EventKind.ERROR)),
            switches=Count("id", filter=Q(kind=EventKind.BITRATE_SWITCH)),
        )
    )
    bitrate_by = {}
    for event in PlaybackEvent.objects.filter(
        at__gte=begin, at__lt=begin + timedelta(days=1), bitrate__isnull=False
    ).values_list("film_id", "session__territory", "session__device_kind", "bitrate", "watched_seconds"):
        key = event[:3]
        bitrate_by[key] = bitrate_by.get(key, 0.0) + event[3] * event[4]
    with transaction.atomic():
        PlaybackDaily.objects.filter(day=day).delete()
        PlaybackDaily.objects.bulk_create(
            PlaybackDaily(
                day=day,
                film_id=r["film_id"],
                territory=r["session__territory"],
                device_kind=r["session__device_kind"],
                starts=r["starts"],
                watched_seconds=r["watched"] or 0.0,
                rebuffer_seconds=r["rebuffer"] or 0.0,
                bitrate_seconds=bitrate_by.get(
                    (r["film_id"], r["session__territory"], r["session__device_kind"]), 0.0
                ),
                errors=r["errors"],
                bitrate_switches=r["switches"],
            )
            for r in rows
        )
        RolledDay.objects.update_or_create(day=day)
        _svod_watch_time_feed(day=day, begin=begin)
        figures_rollup_day(day=day, begin=begin)


def _svod_watch_time_feed(*, day, begin: datetime) -> None:
    """Billing splits each month's SVOD pool by subscribers' watch time: feed it the seconds watched on `day` through
    an SVOD window held by subscription. Call inside the transaction that marks the day rolled, so that a day is fed
    once however often the roll-up runs."""
    rows = (
        PlaybackEvent.objects.filter(
            at__gte=begin,
            at__lt=begin + timedelta(days=1),
            session__window_type=SVOD,
            session__via="entitlement",
        )
        .values_list("film_id")
        .annotate(seconds=Sum("watched_seconds"))
    )
    for film_id, seconds in rows:
        billing_services.watch_time_record(film_id=film_id, period=day, seconds=int(seconds or 0))


def popularity_update(*, at: datetime) -> None:
    """Catalog's popularity: sessions started in the 30 days before `at`, per film."""
    since = at - timedelta(days=30)
    plays = dict(
        PlaybackSession.objects.filter(started_at__gte=since, started_at__lt=at)
        .values_list("film_id")
        .annotate(n=Count("id"))
        .values_list("film_id", "n")
    )
    catalog_services.films_popularity_set(plays=plays)


def sessions_personal_data_erase(*, user) -> int:
    """Forget the device names and territories a person's playback sessions recorded (the sessions stay, for the
    figures and royalties they fed). Returns the sessions changed."""
    return PlaybackSession.objects.filter(user=user).update(device_name="", territory="")
