"""Playback: sessions (mirrored from Redis for history and stats), the raw playback log and its daily roll-up,
and each profile's resume position per film."""

import uuid

from django.conf import settings
from django.db import models


class EndReason(models.TextChoices):
    STOPPED = "stopped", "Stopped by the player"
    EXPIRED = "expired", "No heartbeat"
    ENDED_BY_VIEWER = "ended_by_viewer", "Ended from another device"
    ENTITLEMENT_ENDED = "entitlement_ended", "Access ended"


class PlaybackSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    profile_id = models.BigIntegerField(null=True, blank=True)
    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="+")
    device_id = models.BigIntegerField(null=True, blank=True)
    device_kind = models.CharField(max_length=10, blank=True)
    device_name = models.CharField(max_length=120, blank=True)
    territory = models.CharField(max_length=2, blank=True)
    window_id = models.BigIntegerField(null=True, blank=True)
    window_type = models.CharField(max_length=12, blank=True, help_text="the type of the window that granted access")
    via = models.CharField(max_length=12, blank=True, help_text="free | entitlement | staff")
    top_height = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_heartbeat_at = models.DateTimeField()
    position_seconds = models.FloatField(default=0.0)
    watched_seconds = models.FloatField(default=0.0)
    rebuffer_seconds = models.FloatField(default=0.0)
    bitrate_seconds = models.FloatField(default=0.0, help_text="Sum of bitrate x seconds, for the average bitrate.")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["user", "ended_at"]),
            models.Index(fields=["film", "started_at"]),
            models.Index(fields=["ended_at", "last_heartbeat_at"]),
        ]

    def __str__(self) -> str:
        return f"session {self.pk} (film {self.film_id})"


class EventKind(models.TextChoices):
    START = "start", "Start"
    HEARTBEAT = "heartbeat", "Heartbeat"
    STOP = "stop", "Stop"
    ERROR = "error", "Error"
    BITRATE_SWITCH = "bitrate_switch", "Bitrate switch"


class PlaybackEvent(models.Model):
    """The raw log. Rolled up into PlaybackDaily, then deleted after PLAYBACK_LOG_RETENTION_DAYS."""

    session = models.ForeignKey(PlaybackSession, on_delete=models.CASCADE, related_name="events")
    film_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(db_index=True)
    position_seconds = models.FloatField(default=0.0)
    watched_seconds = models.FloatField(default=0.0)
    bitrate = models.PositiveIntegerField(null=True, blank=True)
    buffer_seconds = models.FloatField(null=True, blank=True)
    rebuffer_seconds = models.FloatField(default=0.0)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at}"


class PlaybackDaily(models.Model):
    """One day of one film's playback in one territory on one kind of device (the roll-up of the raw log)."""

    day = models.DateField()
    film_id = models.BigIntegerField()
    territory = models.CharField(max_length=2, blank=True)
    device_kind = models.CharField(max_length=10, blank=True)
    starts = models.PositiveIntegerField(default=0)
    watched_seconds = models.FloatField(default=0.0)
    rebuffer_seconds = models.FloatField(default=0.0)
    bitrate_seconds = models.FloatField(default=0.0)
    errors = models.PositiveIntegerField(default=0)
    bitrate_switches = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint("day", "film_id", "territory", "device_kind", name="playback_daily_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} film {self.film_id}"


class RolledDay(models.Model):
    """A day whose raw log has been rolled up (the royalty selector reads PlaybackDaily for it)."""

    day = models.DateField(unique=True)
    rolled_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.day)


class WatchProgress(models.Model):
    """Where a profile stopped in a film (continue watching); completed at PLAYBACK_COMPLETED_RATIO (90%)."""

    profile_id = models.BigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="+")
    position_seconds = models.FloatField(default=0.0)
    duration_seconds = models.FloatField(default=0.0)
    completed = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint("profile_id", "film", name="playback_progress_once")]
        indexes = [models.Index(fields=["profile_id", "completed", "-updated_at"])]

    def __str__(self) -> str:
        return f"profile {self.profile_id} film {self.film_id} at {self.position_seconds:.0f}s"


class QoeKind(models.TextChoices):
    """What went wrong for a viewer. The player reports the first four when it gives up after its retries; the
    server records `throttled` when a session asked for the same file too often (playback.throttle)."""

    DECRYPT = "decrypt", "Could not decrypt"
    APPEND = "append", "Could not decode or append"
    NETWORK = "network", "Network failure"
    OTHER = "other", "Other playback failure"
    THROTTLED = "throttled", "Throttled by the server"


class QoeEvent(models.Model):
    """A quality-of-experience event of one session: what the admin counts (Playback > QoE events)."""

    session = models.ForeignKey(PlaybackSession, on_delete=models.CASCADE, related_name="qoe_events")
    kind = models.CharField(max_length=12, choices=QoeKind.choices)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "created_at"])]
        verbose_name = "QoE event"

    def __str__(self) -> str:
        return f"{self.kind} in session {self.session_id}"


class PlaybackViewerDaily(models.Model):
    """One account's playback of one film on one day (rolled up with PlaybackDaily): what unique viewers, completion
    and subscribers' share of watch time are counted from over any period, without the raw log."""

    day = models.DateField()
    film_id = models.BigIntegerField()
    user_id = models.BigIntegerField()
    sessions = models.PositiveIntegerField(default=0, help_text="Sessions started this day.")
    completed = models.PositiveIntegerField(
        default=0, help_text="Of those, sessions that reached PLAYBACK_COMPLETED_RATIO of the film this day."
    )
    watched_seconds = models.FloatField(default=0.0)
    svod_seconds = models.FloatField(default=0.0, help_text="Watched through an SVOD window held by subscription.")

    class Meta:
        constraints = [models.UniqueConstraint("day", "film_id", "user_id", name="playback_viewer_daily_once")]
        indexes = [models.Index(fields=["film_id", "day"])]

    def __str__(self) -> str:
        return f"{self.day} film {self.film_id} viewer {self.user_id}"


class PlaybackRetentionDaily(models.Model):
    """How many sessions of one film played some part of minute `minute` on one day (from heartbeat positions): the
    audience-retention curve over a period is these counts over the sessions started."""

    day = models.DateField()
    film_id = models.BigIntegerField()
    minute = models.PositiveIntegerField()
    sessions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("day", "film_id", "minute", name="playback_retention_daily_once")]
        indexes = [models.Index(fields=["film_id", "day"])]

    def __str__(self) -> str:
        return f"{self.day} film {self.film_id} minute {self.minute}"
