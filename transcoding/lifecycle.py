"""The job's state machine and where a job's files live: what both the job services (services.py) and the pipeline
(pipeline.py) move and clean up. Below both, so that neither imports the other's internals."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from catalog import selectors as catalog_selectors
from notifications import services as notifications
from transcoding.errors import InvalidTransition
from transcoding.models import Job, JobState, Rendition
from transcoding.storage import stored_files

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


def job_transition(*, job: Job, to: str, **fields) -> Job:
    """Move the job to `to` if allowed, in one locked update. Raises InvalidTransition otherwise."""
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        if to not in TRANSITIONS[current.state]:
            raise InvalidTransition(
                format_lazy(_("A job that is {current} cannot become {wanted}."), current=current.state, wanted=to),
                extra={"from": current.state, "to": to},
            )
        fields["state"] = to
        Job.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())
        if to in (S.COMPLETED, S.FAILED):
            _tell_creator(job_id=job.pk, film_id=current.film_id, to=to, error=fields.get("error", ""),
                          attempts=current.attempts)
    job.refresh_from_db()
    return job


def _tell_creator(*, job_id: int, film_id: int, to: str, error: str, attempts: int) -> None:
    """The film's creator hears that its media is ready or could not be made (inside the transition's transaction).
    A job retried after failing may fail again: each failure is its own message."""
    film = catalog_selectors.film_get(film_id=film_id)
    if film is None:
        return
    context = {"film_title": film.title, "film_id": film.pk, "job_id": job_id}
    if to == S.COMPLETED:
        notifications.notify(event="transcode_finished", user=film.creator, context=context, key=str(job_id))
    else:
        notifications.notify(event="transcode_failed", user=film.creator, key=f"{job_id}:{attempts}",
                             context={**context, "error": (error or "-")[:500]})


def work_dir_for(job: Job) -> Path:
    return Path(settings.TRANSCODING_WORK_ROOT) / f"job-{job.pk}"


def output_prefix_for(job: Job) -> str:
    return f"films/{job.film_id}/{job.kind}/job-{job.pk}"


def job_outputs_remove(*, job: Job, work_dir: bool = True) -> None:
    """Delete whatever a cancelled or failed run left in protected storage (and on the work disk)."""
    if work_dir:
        shutil.rmtree(work_dir_for(job), ignore_errors=True)
    storage = storages["protected"]
    for name in stored_files(output_prefix_for(job)):
        storage.delete(name)
    Rendition.objects.filter(job=job).delete()
