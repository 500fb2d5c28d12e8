import socket

from celery import shared_task

from transcoding import rotation, selectors, services
from transcoding.errors import TransientFailure


@shared_task(name="transcoding.run_job", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def run_job(self, job_id: int) -> str:
    """Entry point: run the pipeline; a transient failure goes back to the queue with exponential backoff until the
    attempts run out (services.job_transient_failure decides)."""
    try:
        job = services.job_run(job_id=job_id, worker=f"{socket.gethostname()}:{self.request.id or 'eager'}")
    except TransientFailure as failure:
        if not services.job_transient_failure(job_id=job_id, reason=str(failure)):
            return "failed"
        if self.request.is_eager:
            return run_job.apply(args=[job_id]).get()
        attempts = selectors.job_attempts(job_id=job_id)
        raise self.retry(countdown=10 * 2 ** max(0, attempts - 1), exc=failure) from failure
    return job.state if job else "skipped"


@shared_task(name="transcoding.requeue_stalled", acks_late=True)
def requeue_stalled() -> list[int]:
    return services.jobs_requeue_stalled()


@shared_task(name="transcoding.keys_rotate", acks_late=True)
def keys_rotate() -> dict:
    """Daily: rotate the keys of films due (re-packaging their media, no re-encode), purge retired keys."""
    return rotation.keys_rotate_due()
