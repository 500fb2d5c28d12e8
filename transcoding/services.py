"""The job lifecycle and the pipeline: probe -> one-pass ladder -> package + thumbnails -> upload -> completed."""

import contextlib
import shutil
import time
from datetime import timedelta
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from catalog import selectors as catalog_selectors
from transcoding import ffmpeg, keys, packaging, posters, thumbnails
from transcoding.errors import InvalidTransition, JobCancelled, JobPermissionDenied, MediaRejected, TransientFailure
from transcoding.ladder import ladder_for
from transcoding.models import ACTIVE_STATES, CURRENT_LAYOUT, Job, JobState, Rendition
from transcoding.probe import Probe, probe
from transcoding.probe_checks import UNEXPLAINED_FAILURE

S = JobState
TRANSITIONS: dict[str, set[str]] = {
    S.QUEUED: {S.PROBING, S.CANCELLED, S.FAILED},
    S.PROBING: {S.TRANSCODING, S.FAILED, S.CANCELLED, S.QUEUED},
    S.TRANSCODING: {S.PACKAGING, S.FAILED, S.CANCELLED, S.QUEUED},
    S.PACKAGING: {S.UPLOADING, S.FAILED, S.CANCELLED, S.QUEUED},
    S.UPLOADING: {S.COMPLETED, S.FAILED, S.CANCELLED, S.QUEUED},
    S.FAILED: {S.QUEUED},
    S.CANCELLED: {S.QUEUED},
    S.COMPLETED: set(),
}
# Share of the progress bar each stage covers.
STAGE_SPAN = {S.PROBING: (0, 2), S.TRANSCODING: (2, 85), S.PACKAGING: (85, 95), S.UPLOADING: (95, 100)}


def _transition(*, job: Job, to: str, **fields) -> Job:
    """Move the job to `to` if allowed, in one locked update. Raises InvalidTransition otherwise."""
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if to not in TRANSITIONS[current.state]:
            raise InvalidTransition(
                f"A job that is {current.state} cannot become {to}.", extra={"from": current.state, "to": to}
            )
        fields["state"] = to
        Job.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())
    job.refresh_from_db()
    return job


def require_manager(*, film, user) -> None:
    if not catalog_selectors.film_editable_by(film=film, user=user):
        raise JobPermissionDenied()


def _enqueue(job: Job, *, countdown: int = 0) -> None:
    """Send the job to the transcoding queue once the transaction commits, and note when it is due: the sweep sends
    it again if no worker has claimed it by then plus TRANSCODING_QUEUED_DEADLINE_SECONDS (a lost message)."""
    from transcoding.tasks import run_job

    Job.objects.filter(pk=job.pk).update(due_at=timezone.now() + timedelta(seconds=countdown))
    transaction.on_commit(lambda: run_job.apply_async(args=[job.pk], countdown=countdown or None))


def job_enqueue(*, job: Job) -> None:
    """Send a queued job to the transcoding queue once the current transaction commits."""
    _enqueue(job)


def job_create(
    *,
    film,
    by,
    source_path: str,
    kind: str = "feature",
    size: int = 0,
    sha256: str = "",
    enqueue: bool = True,
    encrypt: bool | None = None,
) -> Job:
    """A queued job for a master already on local disk. The caller has checked the upload; the probe comes next.
    `encrypt` (default TRANSCODING_ENCRYPT): package with the film's content key (AES-128 HLS + CENC DASH)."""
    require_manager(film=film, user=by)
    job = Job.objects.create(
        encrypt=settings.TRANSCODING_ENCRYPT if encrypt is None else encrypt,
        film_id=film.pk,
        kind=kind,
        created_by=by if by and by.is_authenticated else None,
        source_path=source_path,
        source_size=size,
        source_sha256=sha256,
    )
    if enqueue:
        _enqueue(job)
    return job


def job_cancel(*, job: Job, by) -> Job:
    """Cancel a queued or running job. A running pipeline sees it within seconds, stops ffmpeg and cleans up."""
    require_manager(film=job.film, user=by)
    job = _transition(job=job, to=S.CANCELLED, finished_at=timezone.now(), eta_seconds=None)
    _remove_outputs(job, work_dir=False)  # a running pipeline removes its own work folder when it stops
    return job


def job_retry(*, job: Job, by) -> Job:
    """A failed or cancelled job goes back to the queue. A queued one is sent to the queue again at once (its
    message may have died with a worker); claiming is a conditional UPDATE, so a duplicate message runs nothing."""
    require_manager(film=job.film, user=by)
    if job.state == S.QUEUED:
        _enqueue(job)
        job.refresh_from_db()
        return job
    job = _transition(job=job, to=S.QUEUED, error="", progress=0.0, eta_seconds=None, finished_at=None)
    _enqueue(job)
    return job


def job_progress_report(*, job: Job, progress: float, eta_seconds: int | None, worker: str) -> Job:
    """A remote worker's progress (PATCH /api/jobs/<id>/progress): only for a job that is running."""
    if job.state not in ACTIVE_STATES:
        raise InvalidTransition(f"Progress is only taken for a running job; this one is {job.state}.")
    Job.objects.filter(pk=job.pk).update(
        progress=round(min(100.0, max(0.0, progress)), 1),
        eta_seconds=eta_seconds,
        worker=worker[:200],
        heartbeat_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def remote_event_handle(
    *, event_id: str, job: Job, outcome: str, progress: float | None = None, error: str = ""
) -> bool:
    """A remote worker's signed callback. Each event id takes effect once; returns False for a replay."""
    from django.db import IntegrityError

    from transcoding.models import RemoteEvent

    try:
        with transaction.atomic():
            RemoteEvent.objects.create(event_id=event_id, job=job, outcome=outcome)
            if outcome == "progress":
                job_progress_report(job=job, progress=progress or 0.0, eta_seconds=None, worker="remote")
            else:
                job_finish_remote(job=job, outcome=outcome, error=error)
    except IntegrityError:
        return False
    return True


def job_finish_remote(*, job: Job, outcome: str, error: str = "") -> Job:
    """A remote worker's final word (the signed webhook): completed, or failed with a reason."""
    if outcome == "completed":
        return _transition(job=job, to=S.COMPLETED, progress=100.0, eta_seconds=None, finished_at=timezone.now())
    return _transition(
        job=job,
        to=S.FAILED,
        error=error[:2000] or "The remote worker reported a failure.",
        finished_at=timezone.now(),
        eta_seconds=None,
    )


def retry_backoff_seconds(attempts: int) -> int:
    """10, 20, 40 s ...: kept far below the broker's visibility timeout, so a countdown held by a worker that dies
    is handed back within minutes (and the queued-job deadline covers it regardless)."""
    return min(10 * 2 ** max(0, attempts - 1), 120)


def job_transient_failure(*, job_id: int, reason: str, enqueue: bool = True) -> bool:
    """After a transient failure: back to the queue while attempts remain (True), else failed with the reason.
    `enqueue`: send the retry after a backoff (False: the caller runs it again itself, as `manage.py transcode`
    does; the job is due after the backoff all the same, so the sweep picks it up if that caller dies)."""
    job = Job.objects.get(pk=job_id)
    if job.attempts >= settings.TRANSCODING_MAX_ATTEMPTS:
        _transition(job=job, to=S.FAILED, error=reason[:2000], finished_at=timezone.now(), eta_seconds=None)
        return False
    backoff = retry_backoff_seconds(job.attempts)
    job = _transition(job=job, to=S.QUEUED, error=reason[:2000], progress=0.0, eta_seconds=None,
                      due_at=timezone.now() + timedelta(seconds=backoff))
    if enqueue:
        _enqueue(job, countdown=backoff)
    return True


def jobs_requeue_stalled() -> list[int]:
    """The beat sweep, so that every job state has a way out. Running jobs whose heartbeat stopped (a killed worker)
    go back to the queue, or fail after the last attempt; the dead attempt's work folder goes. Queued jobs that no
    worker claimed by their due time plus TRANSCODING_QUEUED_DEADLINE_SECONDS (the message died with a worker, e.g.
    during a retry countdown) are sent again. Returns the ids sent to the queue."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.TRANSCODING_STALL_SECONDS)
    requeued = []
    for job in Job.objects.filter(state__in=ACTIVE_STATES, heartbeat_at__lt=cutoff):
        try:
            if job.attempts >= settings.TRANSCODING_MAX_ATTEMPTS:
                _transition(
                    job=job,
                    to=S.FAILED,
                    finished_at=timezone.now(),
                    error=f"The worker stopped responding ({job.attempts} attempts).",
                )
            else:
                _transition(job=job, to=S.QUEUED, progress=0.0, eta_seconds=None)
                _enqueue(job)
                requeued.append(job.pk)
        except InvalidTransition:
            continue  # it moved on its own meanwhile
        _remove_dead_attempts(job)
    overdue = now - timedelta(seconds=settings.TRANSCODING_QUEUED_DEADLINE_SECONDS)
    for job in Job.objects.filter(state=S.QUEUED).filter(Q(due_at__lt=overdue) | Q(due_at__isnull=True,
                                                                                   updated_at__lt=overdue)):
        # Conditional on the row as read: a job claimed or re-sent meanwhile is left alone.
        if Job.objects.filter(pk=job.pk, state=S.QUEUED, due_at=job.due_at).update(due_at=now):
            _enqueue(job)
            requeued.append(job.pk)
    return requeued


def _remove_dead_attempts(job: Job) -> None:
    """The work folders of attempts declared dead (on this machine's work disk; a worker elsewhere removes its own
    leftovers when it next claims the job). A worker that was only slow notices: its ffmpeg fails, and the job
    moved on, so it stops without a failure of its own."""
    for attempt in work_dir_for(job).glob("attempt-*"):
        shutil.rmtree(attempt, ignore_errors=True)
    with contextlib.suppress(OSError):
        work_dir_for(job).rmdir()


# --- the pipeline -----------------------------------------------------------------------------------------------


class _Heartbeat:
    """Progress, ETA and heartbeat written at most every couple of seconds; raises JobCancelled when cancelled."""

    def __init__(self, job: Job, stage: str, total_seconds: float):
        self.job, self.stage, self.total = job, stage, max(total_seconds, 0.001)
        self.started = time.monotonic()

    def __call__(self, done_seconds: float) -> None:
        low, high = STAGE_SPAN[self.stage]
        fraction = min(1.0, done_seconds / self.total)
        elapsed = time.monotonic() - self.started
        eta = int(elapsed / fraction - elapsed) if fraction > 0.01 else None
        updated = Job.objects.filter(pk=self.job.pk, state=self.stage).update(
            progress=round(low + (high - low) * fraction, 1), eta_seconds=eta, heartbeat_at=timezone.now()
        )
        if not updated:
            raise JobCancelled()

    def cancelled(self) -> bool:
        return not Job.objects.filter(pk=self.job.pk, state=self.stage).exists()


def _claim(job_id: int, worker: str) -> Job | None:
    """Take a queued job with one conditional UPDATE, so two workers never run the same job."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=S.QUEUED).update(
        state=S.PROBING,
        attempts=F("attempts") + 1,
        worker=worker[:200],
        heartbeat_at=now,
        started_at=now,
        progress=0.0,
        error="",
        updated_at=now,
    )
    return Job.objects.select_related("film").get(pk=job_id) if claimed else None


def work_dir_for(job: Job) -> Path:
    return Path(settings.TRANSCODING_WORK_ROOT) / f"job-{job.pk}"


def output_prefix_for(job: Job) -> str:
    return f"films/{job.film_id}/{job.kind}/job-{job.pk}"


def job_run(*, job_id: int, worker: str = "local") -> Job | None:
    """Run the whole pipeline for a queued job. Permanent failures (bad media) fail the job at once; transient ones
    raise TransientFailure for the task to retry. Partial outputs never survive a failure or a cancel."""
    job = _claim(job_id, worker)
    if job is None:
        return None
    # Each attempt has its own folder: a worker declared stalled but still alive must not write into (or clean up)
    # the folder of the attempt that replaced it. Older attempts' leftovers (a killed worker) go now.
    work = work_dir_for(job) / f"attempt-{job.attempts}"
    for stale in work_dir_for(job).glob("attempt-*"):
        shutil.rmtree(stale, ignore_errors=True)
    (work / "out").mkdir(parents=True)
    try:
        source = _source_local(job, work)
        info = _stage_probe(job, source)
        started = time.monotonic()
        rungs = _stage_transcode(job, info, work, source)
        encode_seconds = time.monotonic() - started
        streams, thumbs = _stage_package(job, info, work, source, rungs)
        _stage_upload(job, work, streams, rungs, thumbs)
        job = _transition(
            job=job,
            to=S.COMPLETED,
            progress=100.0,
            eta_seconds=None,
            finished_at=timezone.now(),
            duration_seconds=info.duration,
            realtime_factor=round(info.duration / max(encode_seconds, 0.001), 3),
        )
        posters.poster_offer_after_encode(job=job)
        return job
    except MediaRejected as rejected:  # probe={"reason": code}: why, for staff and the API
        return _transition(
            job=job, to=S.FAILED, error=rejected.message, probe=rejected.extra, finished_at=timezone.now()
        )
    except (JobCancelled, ffmpeg.FFmpegStopped, InvalidTransition):
        return _stopped(job)  # InvalidTransition: the job moved under us (cancelled, or requeued as stalled)
    except ffmpeg.FFmpegFailed as failed:
        Job.objects.filter(pk=job.pk).update(log_tail=failed.log_tail)
        if not Job.objects.filter(pk=job.pk, state=job.state).exists():
            return _stopped(job)  # killed because it was cancelled or taken over, not a failure of its own
        raise TransientFailure(UNEXPLAINED_FAILURE) from failed  # ffmpeg's own words stay in log_tail, for staff
    except (OSError, BotoCoreError, ClientError) as error:
        raise TransientFailure(f"storage or file error: {error}") from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            work.parent.rmdir()  # only when no other attempt is using it


def _stopped(job: Job) -> Job:
    """This run was stopped from outside. Cancelled: its partial outputs go. Requeued as stalled (this worker was
    alive after all): the outputs belong to the attempt that took over, so they stay."""
    job.refresh_from_db()
    if job.state == S.CANCELLED:
        _remove_outputs(job, work_dir=False)
    return job


def _source_local(job: Job, work: Path) -> str:
    """The master on this worker's disk. A master in the bucket (s3://) is streamed into the work folder once, hashed
    as it comes, and checked against the declared SHA-256 (a mismatch is permanent: the upload was corrupted)."""
    if not job.source_path.startswith("s3://"):
        return job.source_path
    import hashlib

    from transcoding.uploads import s3_client

    bucket, key = job.source_path[5:].split("/", 1)
    target = work / f"master{Path(key).suffix[:10]}"
    answer = s3_client().get_object(Bucket=bucket, Key=key)
    beat = _Heartbeat(job, S.PROBING, float(answer.get("ContentLength") or 1))
    digest, done, last = hashlib.sha256(), 0, time.monotonic()
    with open(target, "wb") as handle:
        for chunk in answer["Body"].iter_chunks(1024 * 1024):
            handle.write(chunk)
            digest.update(chunk)
            done += len(chunk)
            if time.monotonic() - last >= settings.TRANSCODING_HEARTBEAT_SECONDS:
                last = time.monotonic()
                beat(done)
    checksum = digest.hexdigest()
    if job.source_sha256 and checksum != job.source_sha256:
        raise MediaRejected("The master in storage does not match the declared SHA-256: upload it again.")
    Job.objects.filter(pk=job.pk).update(source_sha256=checksum)
    return str(target)


def _stage_probe(job: Job, source: str) -> Probe:
    info = probe(source)
    Job.objects.filter(pk=job.pk).update(probe=info.as_dict(), duration_seconds=info.duration)
    _transition(job=job, to=S.TRANSCODING, progress=STAGE_SPAN[S.TRANSCODING][0], heartbeat_at=timezone.now())
    return info


def _stage_transcode(job: Job, info: Probe, work: Path, source: str):
    rungs = ladder_for(width=info.width, height=info.height)
    cmd = ffmpeg.ladder_command(
        source=source,
        out_dir=work / "out",
        rungs=rungs,
        probe=info,
        segment_seconds=settings.TRANSCODING_SEGMENT_SECONDS,
        threads=settings.TRANSCODING_THREADS,
        preset=settings.TRANSCODING_PRESET,
        crf=settings.TRANSCODING_CRF,
        audio_kbps=settings.TRANSCODING_AUDIO_KBPS,
        audio_only_kbps=settings.TRANSCODING_AUDIO_ONLY_KBPS,
    )
    Job.objects.filter(pk=job.pk).update(ffmpeg_command=ffmpeg.command_line(cmd))
    beat = _Heartbeat(job, S.TRANSCODING, info.duration)
    tail = ffmpeg.run(
        cmd,
        log_path=work / "ffmpeg.log",
        on_progress=beat,
        should_stop=beat.cancelled,
        poll_seconds=settings.TRANSCODING_HEARTBEAT_SECONDS,
    )
    Job.objects.filter(pk=job.pk).update(log_tail=tail)
    _transition(job=job, to=S.PACKAGING, progress=STAGE_SPAN[S.PACKAGING][0], heartbeat_at=timezone.now())
    return rungs


def _stage_package(job: Job, info: Probe, work: Path, source: str, rungs):
    film_keys = keys.film_keys_ensure(film_id=job.film_id) if job.encrypt else None
    streams = packaging.package(
        work / "out",
        encrypt=job.encrypt,
        keys=film_keys,
        rungs={(r.width, r.out_height): r.height for r in rungs},
        segment_seconds=settings.TRANSCODING_SEGMENT_SECONDS,
    )
    beat = _Heartbeat(job, S.PACKAGING, info.duration)  # the thumbnail pass decodes the whole source again
    thumbs = thumbnails.make(
        on_progress=beat,
        should_stop=beat.cancelled,
        source=source,
        probe=info,
        out_dir=work / "out",
        count=settings.TRANSCODING_THUMBNAILS,
        threads=settings.TRANSCODING_THREADS,
        log_path=work / "thumbs.log",
    )
    _transition(job=job, to=S.UPLOADING, progress=STAGE_SPAN[S.UPLOADING][0], heartbeat_at=timezone.now())
    return streams, thumbs


def _stage_upload(job: Job, work: Path, streams, rungs, thumbs: dict) -> None:
    """Copy the outputs to protected storage under a fixed prefix (re-running overwrites the same keys)."""
    storage = storages["protected"]
    prefix = output_prefix_for(job)
    out = work / "out"
    files = sorted(p for p in out.rglob("*") if p.is_file())
    beat = _Heartbeat(job, S.UPLOADING, len(files))
    for index, path in enumerate(files):
        name = f"{prefix}/{path.relative_to(out).as_posix()}"
        if storage.exists(name):
            storage.delete(name)
        with open(path, "rb") as handle:
            storage.save(name, File(handle))
        beat(index + 1)
    by_height = {(r.width, r.out_height): r for r in rungs}
    audio = sorted((s for s in streams if s.kind == "audio"), key=lambda s: -s.declared_bandwidth)
    with transaction.atomic():
        Rendition.objects.filter(job=job).delete()
        for stream in streams:
            rung = by_height.get((stream.width, stream.height)) if stream.kind == "video" else None
            Rendition.objects.create(
                job=job,
                kind=stream.kind,
                representation_id=stream.representation_id,
                width=stream.width,
                height=stream.height,
                rung=rung.height if rung else None,
                bitrate_kbps=rung.bitrate_kbps if rung else stream.declared_bandwidth // 1000,
                bandwidth=stream.peak_bandwidth,
                average_bandwidth=stream.average_bandwidth,
                codecs=stream.codecs,
                frame_rate=stream.frame_rate,
                playlist=stream.playlist,
                audio_only=stream.kind == "audio" and len(audio) > 1 and stream is audio[-1],
                size_bytes=stream.size_bytes,
                key_id=stream.key_id,
            )
        Job.objects.filter(pk=job.pk).update(
            output_prefix=prefix, layout=CURRENT_LAYOUT, probe={**job.probe, "thumbnails": thumbs}
        )
        if job.encrypt:
            keys.film_keys_media_set(film_id=job.film_id, kids={s.key_id for s in streams}, prefix=prefix)
    job.refresh_from_db()


def _remove_outputs(job: Job, *, work_dir: bool = True) -> None:
    """Delete whatever a cancelled or failed run left in protected storage (and on the work disk)."""
    if work_dir:
        shutil.rmtree(work_dir_for(job), ignore_errors=True)
    storage = storages["protected"]
    for name in stored_files(output_prefix_for(job)):
        storage.delete(name)
    Rendition.objects.filter(job=job).delete()


def stored_files(prefix: str) -> list[str]:
    """Every file under a prefix of protected storage (local folders or a bucket)."""
    storage, stack, names = storages["protected"], [prefix], []
    while stack:
        folder = stack.pop()
        try:
            dirs, files = storage.listdir(folder)
        except (FileNotFoundError, OSError):
            continue
        names += [f"{folder}/{name}" for name in files]
        stack += [f"{folder}/{d}" for d in dirs]
    return names
