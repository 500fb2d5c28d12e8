"""The pipeline: claim a queued job, then probe -> one-pass ladder -> package + thumbnails -> upload -> completed.
Runs for minutes without holding a lock: the claim is one conditional UPDATE, and every progress write is guarded by
the state the run expects, so a cancel or a take-over elsewhere stops it (JobCancelled)."""

import contextlib
import shutil
import time
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from transcoding import ffmpeg, keys, packaging, posters, storage, thumbnails
from transcoding.errors import InvalidTransition, JobCancelled, MediaRejected, TransientFailure
from transcoding.ladder import ladder_for
from transcoding.lifecycle import job_outputs_remove, job_transition, output_prefix_for, work_dir_for
from transcoding.models import CURRENT_LAYOUT, Job, JobState, Rendition
from transcoding.probe import Probe, probe
from transcoding.probe_checks import UNEXPLAINED_FAILURE

S = JobState
# Share of the progress bar each stage covers.
STAGE_SPAN = {S.PROBING: (0, 2), S.TRANSCODING: (2, 85), S.PACKAGING: (85, 95), S.UPLOADING: (95, 100)}


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
        job = job_transition(
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
    except MediaRejected as rejected:  # probe={"reason": code, "values"}: why, for staff, the API and the portal
        return job_transition(
            job=job, to=S.FAILED, error=rejected.recorded_message(), probe=rejected.extra, finished_at=timezone.now()
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
        job_outputs_remove(job=job, work_dir=False)
    return job


def _source_local(job: Job, work: Path) -> str:
    """The master on this worker's disk. A master in the bucket (s3://) is streamed into the work folder once, hashed
    as it comes, and checked against the declared SHA-256 (a mismatch is permanent: the upload was corrupted)."""
    if not job.source_path.startswith("s3://"):
        return job.source_path
    chunks, length = storage.s3_object(url=job.source_path)
    target = work / f"master{Path(job.source_path).suffix[:10]}"
    checksum = storage.file_write_hashed(
        chunks=chunks, target=target, on_progress=_Heartbeat(job, S.PROBING, float(length))
    )
    if job.source_sha256 and checksum != job.source_sha256:
        raise MediaRejected("The master in storage does not match the declared SHA-256: upload it again.")
    Job.objects.filter(pk=job.pk).update(source_sha256=checksum)
    return str(target)


def _stage_probe(job: Job, source: str) -> Probe:
    info = probe(source)
    Job.objects.filter(pk=job.pk).update(probe=info.as_dict(), duration_seconds=info.duration)
    job_transition(job=job, to=S.TRANSCODING, progress=STAGE_SPAN[S.TRANSCODING][0], heartbeat_at=timezone.now())
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
    job_transition(job=job, to=S.PACKAGING, progress=STAGE_SPAN[S.PACKAGING][0], heartbeat_at=timezone.now())
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
    job_transition(job=job, to=S.UPLOADING, progress=STAGE_SPAN[S.UPLOADING][0], heartbeat_at=timezone.now())
    return streams, thumbs


def _stage_upload(job: Job, work: Path, streams, rungs, thumbs: dict) -> None:
    """Copy the outputs to protected storage under a fixed prefix (re-running overwrites the same keys)."""
    protected = storages["protected"]
    prefix = output_prefix_for(job)
    out = work / "out"
    files = sorted(p for p in out.rglob("*") if p.is_file())
    beat = _Heartbeat(job, S.UPLOADING, len(files))
    for index, path in enumerate(files):
        name = f"{prefix}/{path.relative_to(out).as_posix()}"
        if protected.exists(name):
            protected.delete(name)
        with open(path, "rb") as handle:
            protected.save(name, File(handle))
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
