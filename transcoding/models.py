import uuid

from django.conf import settings
from django.db import models


class AssetKind(models.TextChoices):
    FEATURE = "feature", "Feature"
    TRAILER = "trailer", "Trailer"


class Upload(models.Model):
    """A master file on its way in: resumable parts on local disk, or an S3 multipart upload."""

    class Backend(models.TextChoices):
        LOCAL = "local", "Local chunked"
        S3 = "s3", "S3 multipart"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AssetKind.choices, default=AssetKind.FEATURE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, blank=True, help_text="Declared by the client; checked on complete.")
    part_size = models.BigIntegerField()
    backend = models.CharField(max_length=5, choices=Backend.choices)
    s3_key = models.CharField(max_length=500, blank=True)
    s3_upload_id = models.CharField(max_length=500, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.size} bytes)"

    @property
    def part_count(self) -> int:
        return max(1, -(-self.size // self.part_size))


class UploadPart(models.Model):
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField()  # 1-based, as S3 numbers parts
    size = models.BigIntegerField()
    etag = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint("upload", "number", name="transcoding_part_once")]

    def __str__(self) -> str:
        return f"part {self.number}"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    PROBING = "probing", "Probing"
    TRANSCODING = "transcoding", "Transcoding"
    PACKAGING = "packaging", "Packaging"
    UPLOADING = "uploading", "Uploading"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


CURRENT_LAYOUT = 2  # Job.layout of what packaging writes now (see Job.layout)

ACTIVE_STATES = {JobState.PROBING, JobState.TRANSCODING, JobState.PACKAGING, JobState.UPLOADING}


class Job(models.Model):
    """One master file through the pipeline to a packaged ladder in protected storage."""

    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="transcode_jobs")
    kind = models.CharField(max_length=10, choices=AssetKind.choices, default=AssetKind.FEATURE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    source_path = models.CharField(max_length=1000, help_text="Local path of the master file.")
    source_size = models.BigIntegerField(default=0)
    source_sha256 = models.CharField(max_length=64, blank=True)
    encrypt = models.BooleanField(default=False, help_text="Package encrypted (keys per film and quality class).")
    layout = models.PositiveSmallIntegerField(
        default=CURRENT_LAYOUT,
        help_text="Storage layout: 2 = one folder per rendition and keys per quality class; 1 = the old one-folder, "
        "one-key layout (not served: re-package it with `manage.py drm_repackage`).",
    )
    state = models.CharField(max_length=12, choices=JobState.choices, default=JobState.QUEUED, db_index=True)
    progress = models.FloatField(default=0.0)
    eta_seconds = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    probe = models.JSONField(default=dict, blank=True)
    ffmpeg_command = models.TextField(blank=True)
    log_tail = models.TextField(blank=True)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="Queued: when a worker should claim it (now, or after a retry's backoff)."
    )
    output_prefix = models.CharField(max_length=300, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    realtime_factor = models.FloatField(null=True, blank=True, help_text="Seconds of film encoded per wall second.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["film", "kind", "state"])]

    def __str__(self) -> str:
        return f"Job {self.pk} ({self.state})"


class Rendition(models.Model):
    """One output stream of a completed job: a video rung or an audio track."""

    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        AUDIO = "audio", "Audio"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    representation_id = models.CharField(max_length=10)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    rung = models.PositiveIntegerField(null=True, blank=True, help_text="The ladder rung (240, 360 ... 2160).")
    bitrate_kbps = models.PositiveIntegerField(help_text="The cap asked of the encoder.")
    bandwidth = models.PositiveIntegerField(help_text="Peak bits per second measured over segments.")
    average_bandwidth = models.PositiveIntegerField()
    codecs = models.CharField(max_length=60)
    frame_rate = models.FloatField(null=True, blank=True)
    playlist = models.CharField(max_length=200, help_text="HLS media playlist, relative to the job's prefix.")
    audio_only = models.BooleanField(default=False, help_text="The data-saver track.")
    size_bytes = models.BigIntegerField(default=0)
    key_id = models.CharField(
        max_length=32, blank=True, help_text="The key id (hex) its segments were encrypted with; empty when clear."
    )

    class Meta:
        ordering = ["kind", "-rung", "-bitrate_kbps"]

    def __str__(self) -> str:
        return f"{self.kind} {self.rung or ''}p {self.bitrate_kbps}k"


class RemoteEvent(models.Model):
    """A remote worker's webhook call, kept so that a replay has no second effect."""

    event_id = models.CharField(max_length=100, unique=True)
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="remote_events")
    outcome = models.CharField(max_length=20)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id


class KeyClass(models.TextChoices):
    """Each quality class of a film has its own content key, so a key released for a lower class decrypts nothing
    above it. FILM is the old scheme's single key (layout 1), kept only to re-package such media."""

    SD = "sd", "SD (up to 480p)"
    HD = "hd", "HD (up to 1080p)"
    UHD = "uhd", "UHD (above 1080p)"
    AUDIO = "audio", "Audio"
    FILM = "film", "Whole film (old one-key scheme)"


class FilmKey(models.Model):
    """One content key of a film (AES-128 for HLS, CENC for DASH): one per quality class per generation, sealed at
    rest with the master key from the environment (TRANSCODING_KEY_MASTER). Never stored or logged in the clear.

    A rotation makes a new generation and re-packages the film's media with it; the previous generation is then
    retired (`retired_at`) and deleted, with the media it encrypted, once no live token can need it."""

    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="+")
    key_class = models.CharField(max_length=5, choices=KeyClass.choices)
    generation = models.PositiveIntegerField(default=1)
    kid = models.CharField(max_length=32, unique=True, help_text="Key id, 16 bytes as hex.")
    key_sealed = models.TextField(help_text="The 16-byte key, Fernet-sealed with the master key.")
    media_prefix = models.CharField(
        max_length=300, blank=True, help_text="The storage prefix packaged with this generation (purged with it)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["film_id", "-generation", "key_class"]
        constraints = [
            models.UniqueConstraint("film", "key_class", "generation", name="transcoding_filmkey_one_per_class")
        ]

    def __str__(self) -> str:
        return f"key {self.kid} (film {self.film_id}, {self.key_class}, generation {self.generation})"
