"""Transcoding workers killed with SIGKILL (issue 25, items 1 and 3), with real Celery workers on Redis: a job whose
retry countdown died with its worker is sent again by the beat sweep and completes; a killed worker takes its ffmpeg
with it, and the dead attempt's folder goes when the job is reclaimed."""

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.storage import storages

from core.testing import workers
from transcoding import pipeline, services
from transcoding.models import Job, JobState

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def _worker(broker, settings, tmp_path, **env) -> workers.Worker:
    """A transcoding worker sharing this test's folders, with Redis's production-like long visibility timeout: the
    recovery must not depend on the broker handing the message back."""
    return workers.Worker(
        broker=broker,
        queues="transcoding",
        tmp=tmp_path,
        visibility_timeout=3600,
        env={
            "WANS_PROTECTED_ROOT": str(storages["protected"].location),
            "TRANSCODING_WORK_ROOT": str(settings.TRANSCODING_WORK_ROOT),
            "TRANSCODING_PRESET": settings.TRANSCODING_PRESET,
            "TRANSCODING_SEGMENT_SECONDS": str(settings.TRANSCODING_SEGMENT_SECONDS),
            "TRANSCODING_THREADS": "1",
            "TRANSCODING_ENCRYPT": "0",
            "TRANSCODING_HEARTBEAT_SECONDS": "1",
            **env,
        },
    )


def _beat(broker, until, *, timeout: float, what: str):
    """What beat does every minute, here every second: the stalled-job sweep, sending to the real broker."""

    def sweep_then_check():
        with workers.publishing_to(broker):
            services.jobs_requeue_stalled()
        return until()

    return workers.wait_until(sweep_then_check, timeout, what, poll=1.0)


def test_a_job_whose_worker_died_in_its_retry_countdown_is_sent_again_and_completes(
    film, creator, clips, settings, tmp_path
):
    broker = workers.redis_broker()
    settings.TRANSCODING_QUEUED_DEADLINE_SECONDS = 2
    job = services.job_create(
        film=film, by=creator, source_path=clips("p240", width=320, height=240, seconds=2), enqueue=False
    )
    first, second = _worker(broker, settings, tmp_path), _worker(broker, settings, tmp_path)
    try:
        first.start()
        # Attempt 1 failed transiently: the job is queued again and its retry is sent with a 10 s countdown.
        pipeline._claim(job.pk, "attempt-1")
        with workers.publishing_to(broker):
            assert services.job_transient_failure(job_id=job.pk, reason="storage or file error: timed out")
        first.wait_for_received("transcoding.run_job", timeout=30)  # held by the first worker for its countdown
        killed_at = first.kill()
        second.start()
        assert Job.objects.get(pk=job.pk).state == JobState.QUEUED

        _beat(broker, lambda: Job.objects.filter(pk=job.pk, state=JobState.COMPLETED).exists(), timeout=120,
              what="the job to be sent again and completed")
        recovery = time.monotonic() - killed_at
    finally:
        first.stop()
        second.stop()

    print(f"\n[faults] redis: job lost in its retry countdown completed {recovery:.1f} s after its worker was killed")
    job.refresh_from_db()
    assert (job.state, job.attempts, job.renditions.filter(kind="video").count()) == (JobState.COMPLETED, 2, 1)
    assert second.received("transcoding.run_job") >= 1


def test_a_killed_worker_takes_its_ffmpeg_with_it_and_the_reclaim_removes_the_dead_attempts_folder(
    film, creator, clips, settings, tmp_path
):
    broker = workers.redis_broker()
    source = clips("p720-long", width=1280, height=720, seconds=40, fps=25)
    worker = _worker(broker, settings, tmp_path, TRANSCODING_PRESET="medium")
    encoders: list[int] = []
    try:
        worker.start()
        with workers.publishing_to(broker):
            job = services.job_create(film=film, by=creator, source_path=source)
        encoders = workers.wait_until(
            lambda: Job.objects.filter(pk=job.pk, state=JobState.TRANSCODING).exists()
            and workers.children_of(worker.process.pid),
            timeout=90,
            what="ffmpeg to be encoding under the worker",
        )
        attempt = Path(settings.TRANSCODING_WORK_ROOT) / f"job-{job.pk}" / "attempt-1"
        assert attempt.is_dir()
        killed_at = worker.kill()
        workers.wait_until(lambda: not any(workers.alive(pid) for pid in encoders), 10, "ffmpeg to die")
        ffmpeg_gone = time.monotonic() - killed_at
    finally:
        worker.stop()
        for pid in encoders:  # an orphan, should the test fail: never left running
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    print(f"\n[faults] ffmpeg ended {ffmpeg_gone:.2f} s after its worker was killed")
    assert attempt.is_dir()  # left behind by the dead worker, until the job is reclaimed
    settings.TRANSCODING_STALL_SECONDS = 1
    time.sleep(1.5)  # the dead worker's last heartbeat is now older than the stall window
    with workers.publishing_to(broker):
        assert services.jobs_requeue_stalled() == [job.pk]
    assert not attempt.exists()
    assert not attempt.parent.exists()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.QUEUED, 1)
