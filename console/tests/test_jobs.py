"""Transcoding oversight: the jobs with their stage, worker, attempts, failure and outputs; retry and cancel through
transcoding's services; who may."""

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db


def M(label):
    return apps.get_model(label)


@pytest.fixture
def jobs(make_user):
    film = M("catalog.Film").objects.create(title="Reef", slug="reef", creator=make_user("creator"))
    Job = M("transcoding.Job")
    failed = Job.objects.create(film=film, source_path="/x", state="failed", attempts=3, error="moov atom not found")
    running = Job.objects.create(film=film, source_path="/x", state="transcoding", attempts=1, progress=0.42,
                                 worker="celery@transcode-1")
    done = Job.objects.create(film=film, source_path="/x", state="completed")
    M("transcoding.Rendition").objects.create(job=done, kind="video", representation_id="v720", rung=720,
                                              bitrate_kbps=2800, bandwidth=1, average_bandwidth=1, codecs="avc1",
                                              playlist="p", size_bytes=12_000_000)
    return {"failed": failed, "running": running, "done": done}


def test_the_jobs_page_shows_stage_worker_attempts_failure_and_outputs(client, make_user, jobs):
    client.force_login(make_user("admin"))
    html = client.get("/admin/console/jobs/").content.decode()
    assert "moov atom not found" in html
    assert "celery@transcode-1" in html
    assert "42%" in html
    assert "720p 12.0 MB" in html
    assert "1 running" in html and "1 failed" in html
    only_failed = client.get("/admin/console/jobs/?state=failed").content.decode()
    assert f'id="job-{jobs["failed"].pk}"' in only_failed
    assert f'id="job-{jobs["running"].pk}"' not in only_failed


def test_retry_and_cancel_go_through_transcodings_services(client, make_user, jobs):
    client.force_login(make_user("admin"))
    assert client.post("/admin/console/jobs/", {"job": jobs["failed"].pk, "action": "retry"}).status_code == 302
    assert client.post("/admin/console/jobs/", {"job": jobs["running"].pk, "action": "cancel"}).status_code == 302
    jobs["failed"].refresh_from_db()
    jobs["running"].refresh_from_db()
    assert (jobs["failed"].state, jobs["failed"].error) == ("queued", "")
    assert jobs["running"].state == "cancelled"


def test_a_refused_move_or_a_bad_id_is_a_message_not_an_error(client, make_user, jobs):
    client.force_login(make_user("admin"))
    answer = client.post("/admin/console/jobs/", {"job": jobs["done"].pk, "action": "cancel"}, follow=True)
    assert "cannot become cancelled" in answer.content.decode()
    assert client.post("/admin/console/jobs/", {"job": "x", "action": "retry"}).status_code == 302
    jobs["done"].refresh_from_db()
    assert jobs["done"].state == "completed"


def test_staff_without_the_permission_neither_see_nor_act(client, make_user, jobs):
    staff = make_user("viewer")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/console/jobs/").status_code == 403
    assert client.post("/admin/console/jobs/", {"job": jobs["failed"].pk, "action": "retry"}).status_code == 403
    jobs["failed"].refresh_from_db()
    assert jobs["failed"].state == "failed"
