import socket

from celery import shared_task

from transcoding import pipeline, rotation, services
from transcoding.errors import TransientFailure


@shared_task(name="transcoding.run_job", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def run_job(self, job_id: int) -> str:
    """Entry point: run the pipeline; a transient failure goes back to the queue with exponential backoff until the
    attempts run out (services.job_transient_failure decides and sends the retry)."""
    try:
        job = pipeline.job_run(job_id=job_id, worker=f"{socket.gethostname()}:{self.request.id or 'eager'}")
    except TransientFailure as failure:
        if self.request.is_eager:
            if not services.job_transient_failure(job_id=job_id, reason=str(failure), enqueue=False):
                return "failed"
            return run_job.apply(args=[job_id]).get()
        # Back to the queue with a backoff: a new message with a countdown, and a due time in the job's row that the
        # beat sweep honours if that message dies with this worker.
        return "retrying" if services.job_transient_failure(job_id=job_id, reason=str(failure)) else "failed"
    return job.state if job else "skipped"


@shared_task(name="transcoding.requeue_stalled", acks_late=True)
def requeue_stalled() -> list[int]:
    return services.jobs_requeue_stalled()


@shared_task(name="transcoding.keys_rotate", acks_late=True)
def keys_rotate() -> dict:
    """Daily: rotate the keys of films due (re-packaging their media, no re-encode), purge retired keys."""
    return rotation.keys_rotate_due()
