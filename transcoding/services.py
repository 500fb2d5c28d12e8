"""The job services: create, enqueue, cancel, retry, remote workers' reports, transient failures and the sweep.
The state machine is lifecycle.py; the pipeline that runs a job is pipeline.py (job_run, re-exported here: it is the
service other apps and the task call)."""

import contextlib
import shutil
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from catalog import selectors as catalog_selectors
from transcoding.errors import InvalidTransition, JobPermissionDenied
from transcoding.lifecycle import job_outputs_remove, job_transition, output_prefix_for, work_dir_for
from transcoding.models import ACTIVE_STATES, Job, JobState, RemoteEvent
from transcoding.pipeline import job_run
from transcoding.samples import make_clip

__all__ = [  # job_run, work_dir_for and output_prefix_for live below this module; they are services all the same
    "job_cancel",
    "job_create",
    "job_enqueue",
    "job_finish_remote",
    "job_progress_report",
    "job_retry",
    "job_run",
    "job_transient_failure",
    "jobs_requeue_stalled",
    "output_prefix_for",
    "remote_event_handle",
    "require_manager",
    "retry_backoff_seconds",
    "work_dir_for",
    "demo_clip_make",
]

S = JobState
RUN_JOB = "transcoding.run_job"  # the task (tasks.py), named: tasks.py imports this module


def require_manager(*, film, user) -> None:
    if not catalog_selectors.film_editable_by(film=film, user=user):
        raise JobPermissionDenied()


def _enqueue(job: Job, *, countdown: int = 0) -> None:
    """Send the job to the transcoding queue once the transaction commits, and note when it is due: the sweep sends
    it again if no worker has claimed it by then plus TRANSCODING_QUEUED_DEADLINE_SECONDS (a lost message)."""
    Job.objects.filter(pk=job.pk).update(due_at=timezone.now() + timedelta(seconds=countdown))
    # The registered task (apps.py imports tasks in every process), so CELERY_TASK_ALWAYS_EAGER applies as to a call.
    task = current_app.signature(RUN_JOB, args=[job.pk])
    transaction.on_commit(lambda: task.apply_async(countdown=countdown or None))


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
    job = job_transition(job=job, to=S.CANCELLED, finished_at=timezone.now(), eta_seconds=None)
    job_outputs_remove(job=job, work_dir=False)  # a running pipeline removes its own work folder when it stops
    return job


def job_retry(*, job: Job, by) -> Job:
    """A failed or cancelled job goes back to the queue. A queued one is sent to the queue again at once (its
    message may have died with a worker); claiming is a conditional UPDATE, so a duplicate message runs nothing."""
    require_manager(film=job.film, user=by)
    if job.state == S.QUEUED:
        _enqueue(job)
        job.refresh_from_db()
        return job
    job = job_transition(job=job, to=S.QUEUED, error="", progress=0.0, eta_seconds=None, finished_at=None)
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
        return job_transition(job=job, to=S.COMPLETED, progress=100.0, eta_seconds=None, finished_at=timezone.now())
    return job_transition(
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
        job_transition(job=job, to=S.FAILED, error=reason[:2000], finished_at=timezone.now(), eta_seconds=None)
        return False
    backoff = retry_backoff_seconds(job.attempts)
    job = job_transition(job=job, to=S.QUEUED, error=reason[:2000], progress=0.0, eta_seconds=None,
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
                job_transition(
                    job=job,
                    to=S.FAILED,
                    finished_at=timezone.now(),
                    error=f"The worker stopped responding ({job.attempts} attempts).",
                )
            else:
                job_transition(job=job, to=S.QUEUED, progress=0.0, eta_seconds=None)
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


def demo_clip_make(path, *, width: int, height: int, seconds: float, frequency: int = 440):
    """A generated master (test pattern and tone) for other apps' demo seeders: the clip transcoding's own demo uses."""
    return make_clip(path, width=width, height=height, seconds=seconds, frequency=frequency)
