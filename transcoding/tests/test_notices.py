"""A job's end tells the film's creator (issue 15): its media is ready, or could not be made and why."""

import pytest

from core.testing.notices import notices
from notifications import selectors as notification_selectors
from transcoding import services

pytestmark = pytest.mark.django_db


def test_a_finished_transcode_tells_the_creator(film, creator, clips):
    job = services.job_create(film=film, by=creator, enqueue=False,
                              source_path=clips("p360", width=640, height=360, seconds=2))
    assert services.job_run(job_id=job.pk).state == "completed"
    assert notices(creator, "transcode_finished") == {("transcode_finished", "email"): "queued",
                                                      ("transcode_finished", "in_app"): "sent"}
    row = notification_selectors.notifications_of(user=creator, event="transcode_finished").get(channel="in_app")
    assert (row.subject, row.url) == ("Kokoda Dawn is ready to stream", f"http://127.0.0.1:8000/studio/films/{film.pk}/")


def test_a_failed_transcode_tells_the_creator_why(film, creator, tmp_path):
    source = tmp_path / "not-a-film.mp4"
    source.write_bytes(b"this is not a video file at all" * 100)
    job = services.job_create(film=film, by=creator, source_path=str(source), enqueue=False)
    assert services.job_run(job_id=job.pk).state == "failed"
    assert notices(creator, "transcode_failed") == {("transcode_failed", "email"): "queued",
                                                    ("transcode_failed", "in_app"): "sent"}
    assert notices(creator, "transcode_finished") == {}
    row = notification_selectors.notifications_of(user=creator, event="transcode_failed").get(channel="in_app")
    job.refresh_from_db()
    assert row.text == f"Preparing Kokoda Dawn failed: {job.error}"
