"""Reads for transcoding, including what playback needs to stream a film: its latest completed asset."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Min, QuerySet
from django.utils.translation import gettext

from transcoding import keys
from transcoding.keys import ContentKey
from transcoding.models import ACTIVE_STATES, CURRENT_LAYOUT, Job, JobState, Rendition, Upload
from transcoding.probe_checks import REASONS, reason_text


def job_get(*, job_id: int) -> Job | None:
    return Job.objects.select_related("film").filter(pk=job_id).first()


def job_attempts(*, job_id: int) -> int:
    return Job.objects.values_list("attempts", flat=True).get(pk=job_id)


def jobs_visible_to(*, user) -> QuerySet[Job]:
    """Staff see every job; a creator the jobs of their own films."""
    queryset = Job.objects.select_related("film").prefetch_related("renditions").order_by("-created_at", "-id")
    if user.is_staff:
        return queryset
    return queryset.filter(film__creator=user)


def jobs_latest_for_films(*, film_ids: list[int], kind: str = "feature") -> dict[int, Job]:
    """Each film's newest job of `kind` (the creator portal shows it as "processing" or the failure); one query."""
    latest: dict[int, Job] = {}
    jobs = Job.objects.filter(film_id__in=film_ids, kind=kind).defer("log_tail", "ffmpeg_command", "probe")
    for job in jobs.order_by("film_id", "-created_at", "-id"):
        latest.setdefault(job.film_id, job)
    return latest


def job_error_text(*, job: Job) -> str:
    """Why the job failed, in the active language. The job records its reason in the site's language; a refused
    master's reason is made again from its code and figures (`probe`), any other through the catalogue (a text it
    does not know, such as a remote worker's own words, stays as recorded). One query when `probe` was deferred."""
    if not job.error:
        return ""
    reason = (job.probe or {}).get("reason")
    if reason in REASONS:
        return str(reason_text(reason, **(job.probe.get("values") or {})))
    return gettext(job.error)


def upload_get(*, upload_id) -> Upload | None:
    return Upload.objects.select_related("film").prefetch_related("parts").filter(pk=upload_id).first()


def upload_for(*, upload_id, user) -> Upload | None:
    """The upload if `user` may see it: its owner, or staff. None for anyone else, as for an upload that does not
    exist (the API answers 404 to both). Writing into it is the owner's alone (uploads._require_owner)."""
    upload = upload_get(upload_id=upload_id)
    if upload is None or not user.is_authenticated:
        return None
    return upload if upload.owner_id == user.pk or user.is_staff else None


def queue_stats() -> dict:
    counts = dict(Job.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    oldest = Job.objects.filter(state=JobState.QUEUED).aggregate(oldest=Min("created_at"))["oldest"]
    factor = Job.objects.filter(state=JobState.COMPLETED, realtime_factor__isnull=False).aggregate(
        avg=Avg("realtime_factor")
    )["avg"]
    return {
        "counts": {state: counts.get(state, 0) for state in JobState.values},
        "running": sum(counts.get(state, 0) for state in ACTIVE_STATES),
        "oldest_queued_at": oldest,
        "average_realtime_factor": round(factor, 3) if factor is not None else None,
    }


@dataclass(frozen=True)
class FilmMedia:
    """Where a film's packaged media lives in protected storage, and what it holds."""

    job_id: int
    prefix: str
    renditions: list[Rendition]
    duration_seconds: float
    thumbnail_count: int = 0
    sprite_count: int = 0
    film_id: int | None = None
    encrypted: bool = False
    current_kids: frozenset = frozenset()  # key ids (hex) the film's media may be served with now

    def path(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def key_class(self, rendition: Rendition) -> str:
        """The quality class whose key encrypts this rendition (sd, hd, uhd, audio)."""
        return keys.key_class_for(kind=rendition.kind, rung=rendition.rung or rendition.height)

    def hls_playlist(self, rendition: Rendition) -> str:
        """The stored HLS media playlist of a rendition (outside its folder)."""
        return self.path(rendition.playlist)

    def folder(self, rendition: Rendition, protocol: str) -> str:
        """The storage folder holding one rendition's init and segments (and nothing else): a media token's scope."""
        rid = rendition.representation_id
        if not self.encrypted:
            return self.path(rid)
        return self.path(f"{'dash' if protocol == 'dash' else 'hls'}/{rid}")

    @property
    def hls_master(self) -> str:
        return self.path("hls/master.m3u8" if self.encrypted else "master.m3u8")

    @property
    def dash_manifest(self) -> str:
        return self.path("dash/manifest.mpd" if self.encrypted else "manifest.mpd")

    @property
    def thumbnails_vtt(self) -> str:
        return self.path("thumbnails.vtt")

    @property
    def poster(self) -> str:
        return self.path("poster.jpg")

    @property
    def sprites(self) -> list[str]:
        """Trickplay sprite sheets (10x10 tiles each), in the order the VTT track refers to them."""
        return [self.path(f"sprites/sprite_{n:03d}.jpg") for n in range(1, self.sprite_count + 1)]

    @property
    def thumbnails(self) -> list[str]:
        """The stills spread evenly over the film (TRANSCODING_THUMBNAILS of them)."""
        return [self.path(f"thumbs/thumb_{n:03d}.jpg") for n in range(1, self.thumbnail_count + 1)]

    @property
    def audio_only(self) -> Rendition | None:
        return next((r for r in self.renditions if r.audio_only), None)

    @property
    def audio_only_playlist(self) -> str | None:
        """The data-saver HLS media playlist (also a variant of the master, and a Representation in the MPD)."""
        rendition = self.audio_only
        return self.path(rendition.playlist) if rendition else None

    @property
    def video(self) -> list[Rendition]:
        return [r for r in self.renditions if r.kind == Rendition.Kind.VIDEO]


def film_media(*, film_id: int, kind: str = "feature") -> FilmMedia | None:
    job = (
        Job.objects.filter(film_id=film_id, kind=kind, state=JobState.COMPLETED, layout=CURRENT_LAYOUT)
        .order_by("-finished_at", "-id")
        .prefetch_related("renditions")
        .first()
    )
    if job is None:
        return None
    made = (job.probe or {}).get("thumbnails") or {}
    return FilmMedia(
        film_id=film_id,
        encrypted=job.encrypt,
        current_kids=keys.film_kids_current(film_id=film_id) if job.encrypt else frozenset(),
        job_id=job.pk,
        prefix=job.output_prefix,
        renditions=list(job.renditions.all()),
        duration_seconds=job.duration_seconds or 0.0,
        thumbnail_count=int(made.get("thumbnails", 0)),
        sprite_count=int(made.get("sprites", 0)),
    )


def film_ids_with_media(*, kind: str = "feature") -> set[int]:
    """Films with servable media (packaged in the current layout: older ones wait for re-packaging)."""
    jobs = Job.objects.filter(kind=kind, state=JobState.COMPLETED, layout=CURRENT_LAYOUT)
    return set(jobs.values_list("film_id", flat=True))


def film_key_by_kid(*, film_id: int, kid_hex: str) -> ContentKey | None:
    """One of the film's content keys by key id (current or retired but not yet purged), opened with the master
    key. For playback's key and license endpoints only: never log or serialize it except to an authorized, live
    session."""
    return keys.film_key_by_kid(film_id=film_id, kid_hex=kid_hex)


def film_keys_current(*, film_id: int) -> dict[str, ContentKey]:
    """The film's current keys by quality class (sd, hd, uhd, audio); same care as film_key_by_kid."""
    return keys.film_keys_current(film_id=film_id)


def film_keys_export(*, film_id: int | None = None) -> list[ContentKey]:
    """Every film's keys, every class and generation (for import into a commercial multi-DRM service)."""
    return keys.film_keys_all(film_id=film_id)


def storage_used() -> dict[str, int]:
    """Bytes held: packaged renditions of completed jobs in protected storage, and the masters they were made
    from (media). Two aggregates over jobs and renditions (thousands of rows at the platform's size)."""
    from django.db.models import Sum

    protected = Rendition.objects.filter(job__state=JobState.COMPLETED).aggregate(n=Sum("size_bytes"))["n"] or 0
    masters = Job.objects.exclude(state=JobState.CANCELLED).aggregate(n=Sum("source_size"))["n"] or 0
    return {"protected": protected, "masters": masters}


def jobs_needing_attention(*, now) -> QuerySet[Job]:
    """Failed jobs whose film has no completed job of that kind since, and running jobs whose heartbeat is older
    than TRANSCODING_STALL_SECONDS (the stalled-job sweep should have requeued them), oldest first."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Exists, OuterRef, Q

    later_done = Job.objects.filter(film=OuterRef("film"), kind=OuterRef("kind"), state=JobState.COMPLETED,
                                    created_at__gt=OuterRef("created_at"))
    stalled = Q(state__in=ACTIVE_STATES, heartbeat_at__lt=now - timedelta(seconds=settings.TRANSCODING_STALL_SECONDS))
    return (
        Job.objects.filter(Q(state=JobState.FAILED) & ~Exists(later_done) | stalled)
        .select_related("film")
        .order_by("created_at", "id")
    )


def jobs_for_staff(*, state: str | None = None) -> QuerySet[Job]:
    """Every job, newest first, with its film and its renditions (per-rung outputs), optionally in one state."""
    rows = Job.objects.select_related("film").prefetch_related("renditions").order_by("-created_at", "-id")
    return rows.filter(state=state) if state else rows


def jobs_finished_per_day(*, since) -> dict:
    """{day: {"completed": n, "failed": n}} of jobs finished since `since` (throughput over time; one query)."""
    from django.db.models import Q
    from django.db.models.functions import TruncDate

    rows = (
        Job.objects.filter(finished_at__gte=since, state__in=[JobState.COMPLETED, JobState.FAILED])
        .annotate(day=TruncDate("finished_at"))
        .values("day")
        .annotate(completed=Count("id", filter=Q(state=JobState.COMPLETED)),
                  failed=Count("id", filter=Q(state=JobState.FAILED)))
    )
    return {r["day"]: {"completed": r["completed"], "failed": r["failed"]} for r in rows}


def tools_present() -> dict[str, str]:
    """Where the pipeline's programs are: ffmpeg (imageio-ffmpeg's static build, as the pipeline runs it), PyAV (the
    probe) and the packager ('' when missing or not executable)."""
    import os

    from transcoding.encryption import packager_binary
    from transcoding.ffmpeg import ffmpeg_exe

    def present(find) -> str:
        try:
            path = find()
        except (ImportError, RuntimeError, OSError):
            return ""
        return path if path and os.access(path, os.X_OK) else ""

    try:
        import av

        probe = f"PyAV {av.__version__}"
    except ImportError:
        probe = ""
    return {"ffmpeg": present(ffmpeg_exe), "probe": probe, "packager": present(packager_binary)}
