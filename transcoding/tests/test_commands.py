"""The command line, the demo seeder, the encryption option's place, and the stalled-job edges."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone

from catalog import services as catalog_services
from transcoding import demo, selectors, services
from transcoding.models import Job, JobState

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # the command runs the pipeline in a thread with its own connection
def test_transcode_command_runs_the_pipeline_with_a_progress_bar(film, clips):
    out = StringIO()

    call_command("transcode", clips("p480", width=640, height=480, seconds=2), "--film", str(film.pk), stdout=out)

    job = Job.objects.get(film=film)
    assert job.state == JobState.COMPLETED
    assert "100.0% completed" in out.getvalue()
    assert f"Job {job.pk} completed: 5 renditions at films/{film.pk}/feature/job-{job.pk}" in out.getvalue()
    assert storages["protected"].exists(f"{job.output_prefix}/master.m3u8")


def test_transcode_command_refuses_a_missing_file(film):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No file at"):
        call_command("transcode", "/nowhere/master.mov", "--film", str(film.pk))
    assert not Job.objects.exists()


def test_demo_seed_without_films_in_review_or_published_does_nothing(film):
    assert demo.seed() == ["no films in review or published: nothing to transcode"]
    assert not Job.objects.exists()


def test_demo_seed_transcodes_films_in_review_once_and_then_they_can_be_published(film, creator, staff):
    catalog_services.film_submit(film=film, by=creator)

    lines = demo.seed()

    assert len(lines) == 1 and lines[0].startswith(f"{film.title}: completed (6 renditions")
    media = selectors.film_media(film_id=film.pk)
    assert [(r.width, r.height) for r in media.video] == [(1280, 720), (854, 480), (640, 360), (426, 240)]
    assert demo.seed() == ["1 films already have media"]
    assert Job.objects.count() == 1
    assert catalog_services.film_approve(film=film, by=staff).status == "published"


def test_a_stalled_job_on_its_last_attempt_fails_with_the_reason(film, creator, settings):
    job = services.job_create(film=film, by=creator, source_path="/a", enqueue=False)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.PACKAGING,
        attempts=settings.TRANSCODING_MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )

    assert services.jobs_requeue_stalled() == []

    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, "The worker stopped responding (3 attempts).")


def test_a_worker_whose_job_was_requeued_stops_and_leaves_the_outputs_alone(film, creator, clips, monkeypatch):
    """A slow worker declared stalled: the job went back to the queue, so this run stops at its next beat."""
    from transcoding import ffmpeg

    job = services.job_create(
        film=film, by=creator, source_path=clips("p480", width=640, height=480, seconds=2), enqueue=False
    )
    storages["protected"].save(f"{services.output_prefix_for(job)}/kept.txt", StringIO("another attempt's"))
    real_run = ffmpeg.run

    def run_then_lose_the_job(cmd, **kwargs):
        Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED)  # as jobs_requeue_stalled would
        kwargs["poll_seconds"] = 0.0
        return real_run(cmd, **kwargs)

    monkeypatch.setattr(ffmpeg, "run", run_then_lose_the_job)

    result = services.job_run(job_id=job.pk)

    assert result.state == JobState.QUEUED
    assert storages["protected"].exists(f"{services.output_prefix_for(job)}/kept.txt")
    assert not services.work_dir_for(job).exists()


def test_admin_lists_jobs_shows_the_command_and_log_and_retries(film, creator, client):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser(email="root@example.com", password="x-long-password-1")
    job = services.job_create(film=film, by=creator, source_path="/a", enqueue=False)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, ffmpeg_command="ffmpeg -i /a -filter_complex split=3", log_tail="Conversion failed!"
    )
    client.force_login(admin_user)

    listing = client.get("/admin/transcoding/job/")
    page = client.get(f"/admin/transcoding/job/{job.pk}/change/")
    retried = client.post("/admin/transcoding/job/", {"action": "retry", "_selected_action": [job.pk]})

    assert listing.status_code == 200 and film.title in listing.content.decode()
    assert page.status_code == 200
    assert "ffmpeg -i /a -filter_complex split=3" in page.content.decode()
    assert "Conversion failed!" in page.content.decode()
    assert retried.status_code == 302
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED


def test_a_queued_job_nobody_claimed_past_its_deadline_is_sent_again_once(
    film, creator, settings, django_capture_on_commit_callbacks
):
    """Its message died with a worker (e.g. in a retry countdown): the sweep sends it again, once per deadline."""
    settings.TRANSCODING_QUEUED_DEADLINE_SECONDS = 600
    now = timezone.now()
    lost = services.job_create(film=film, by=creator, source_path="/lost", enqueue=False)
    waiting = services.job_create(film=film, by=creator, source_path="/waiting", enqueue=False)
    backing_off = services.job_create(film=film, by=creator, source_path="/backoff", enqueue=False)
    Job.objects.filter(pk=lost.pk).update(due_at=now - timedelta(seconds=601), attempts=1)
    Job.objects.filter(pk=waiting.pk).update(due_at=now - timedelta(seconds=599))
    Job.objects.filter(pk=backing_off.pk).update(due_at=now + timedelta(seconds=40), attempts=1)

    with django_capture_on_commit_callbacks() as sent:
        assert services.jobs_requeue_stalled() == [lost.pk]
    with django_capture_on_commit_callbacks() as sent_again:
        assert services.jobs_requeue_stalled() == []

    assert (len(sent), len(sent_again)) == (1, 0)
    lost.refresh_from_db()
    assert (lost.state, lost.attempts) == (JobState.QUEUED, 1)
    assert lost.due_at >= now
    assert Job.objects.get(pk=waiting.pk).due_at == now - timedelta(seconds=599)


def test_a_transient_failure_makes_the_job_due_after_its_backoff(film, creator, django_capture_on_commit_callbacks):
    job = services.job_create(film=film, by=creator, source_path="/a", enqueue=False)
    Job.objects.filter(pk=job.pk).update(state=JobState.TRANSCODING, attempts=2)
    before = timezone.now()

    with django_capture_on_commit_callbacks() as sent:
        assert services.job_transient_failure(job_id=job.pk, reason="storage or file error: timed out") is True

    job.refresh_from_db()
    assert (job.state, job.error, len(sent)) == (JobState.QUEUED, "storage or file error: timed out", 1)
    assert before + timedelta(seconds=20) <= job.due_at <= timezone.now() + timedelta(seconds=20)


def test_retry_on_a_queued_job_sends_it_again(film, creator, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    job = services.job_create(film=film, by=creator, source_path="/a", enqueue=False)
    Job.objects.filter(pk=job.pk).update(due_at=timezone.now() - timedelta(hours=2), attempts=1)
    client = APIClient()
    client.force_authenticate(creator)

    with django_capture_on_commit_callbacks() as sent:
        answer = client.post(f"/api/jobs/{job.pk}/retry")

    assert answer.status_code == 200, answer.json()
    assert (answer.json()["state"], len(sent)) == ("queued", 1)
    job.refresh_from_db()
    assert job.due_at > timezone.now() - timedelta(minutes=1)
    assert job.attempts == 1
