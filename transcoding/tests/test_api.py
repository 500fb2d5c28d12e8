import hashlib
import hmac
import json
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from transcoding.models import Job, JobState

pytestmark = pytest.mark.django_db
PART = 256 * 1024


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def _small_parts(settings):
    settings.TRANSCODING_UPLOAD_PART_BYTES = PART


def _start(client, film, data: bytes, **extra):
    body = {"film": film.pk, "filename": "master.mp4", "size": len(data), **extra}
    response = client.post("/api/upload/url", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _put(client, upload_id, number, data: bytes):
    chunk = data[(number - 1) * PART : number * PART]
    return client.put(f"/api/upload/{upload_id}/parts/{number}", data=chunk, content_type="application/octet-stream")


def test_chunked_upload_resumes_then_completes_into_a_finished_job(
    film, creator, clips, django_capture_on_commit_callbacks
):
    data = Path(clips("p480", width=640, height=480, seconds=2)).read_bytes()
    client = client_for(creator)
    started = _start(client, film, data, sha256=hashlib.sha256(data).hexdigest())
    target, upload_id = started["target"], started["upload_id"]
    parts = -(-len(data) // PART)
    assert (target["type"], target["part_size"], target["part_count"]) == ("chunked", PART, parts)
    assert target["part_url"].endswith(f"/api/upload/{upload_id}/parts/{{number}}")

    assert _put(client, upload_id, 1, data).status_code == 200
    status = client.get(f"/api/upload/{upload_id}").json()  # the connection dropped here: where to resume?
    assert (status["parts_done"], status["next_part"], status["bytes_received"]) == ([1], 2, PART)
    for number in range(2, parts + 1):
        assert _put(client, upload_id, number, data).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/upload/complete", {"upload_id": upload_id}, format="json")

    assert response.status_code == 201, response.content
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.COMPLETED
    assert (job.source_size, job.source_sha256) == (len(data), hashlib.sha256(data).hexdigest())
    renditions = client.get(f"/api/jobs/{job.pk}").json()["renditions"]
    assert [r["rung"] for r in renditions if r["kind"] == "video"] == [480, 360, 240]


def test_complete_before_all_parts_is_refused(film, creator):
    data = b"x" * (PART + 10)
    client = client_for(creator)
    upload_id = _start(client, film, data)["upload_id"]
    _put(client, upload_id, 1, data)

    response = client.post("/api/upload/complete", {"upload_id": upload_id}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Part 2 has not arrived yet."
    assert not Job.objects.exists()


def test_part_of_the_wrong_size_or_number_is_refused(film, creator):
    data = b"x" * (PART + 10)
    client = client_for(creator)
    upload_id = _start(client, film, data)["upload_id"]

    short = client.put(f"/api/upload/{upload_id}/parts/1", data=b"abc", content_type="application/octet-stream")
    beyond = client.put(f"/api/upload/{upload_id}/parts/3", data=b"abc", content_type="application/octet-stream")

    assert short.status_code == 400 and "body" in short.json()["error"]["fields"]
    assert beyond.status_code == 400 and "number" in beyond.json()["error"]["fields"]


def test_checksum_mismatch_is_refused(film, creator):
    data = b"y" * 100
    client = client_for(creator)
    upload_id = _start(client, film, data, sha256="0" * 64)["upload_id"]
    _put(client, upload_id, 1, data)

    response = client.post("/api/upload/complete", {"upload_id": upload_id}, format="json")

    assert response.status_code == 400
    assert "sha256" in response.json()["error"]["fields"]
    assert not Job.objects.exists()


def test_upload_that_is_not_media_is_refused_with_the_reason_on_the_job(film, creator):
    data = b"%PDF-1.4 not a film at all" * 10
    client = client_for(creator)
    upload_id = _start(client, film, data)["upload_id"]
    _put(client, upload_id, 1, data)

    response = client.post("/api/upload/complete", {"upload_id": upload_id}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["reason"]) == ("media_rejected", "not_media")
    assert error["message"].startswith("This is not a video file we can read")
    job = Job.objects.get(pk=error["job_id"])
    assert (job.state, job.error, job.probe) == (JobState.FAILED, error["message"], {"reason": "not_media"})


@pytest.mark.parametrize(
    "body,field",
    [
        ({"filename": "a.mp4", "size": 10}, "film"),
        ({"film": 1, "filename": "a.mp4", "size": -1}, "size"),
        ({"film": 1, "filename": "a.mp4", "size": 10, "sha256": "xyz"}, "sha256"),
        ({"film": 1, "filename": "a" * 10_000, "size": 10}, "filename"),
        ({"film": 999999, "filename": "a.mp4", "size": 10}, "film"),
    ],
)
def test_bad_upload_requests_are_400(film, creator, body, field):
    response = client_for(creator).post("/api/upload/url", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_viewers_and_other_creators_cannot_upload_or_see_jobs(film, creator, make_user, clips):
    from transcoding import services

    viewer, other = make_user("viewer"), make_user("creator")
    job = services.job_create(film=film, by=creator, source_path="/nope", enqueue=False)

    refused = client_for(viewer).post(
        "/api/upload/url", {"film": film.pk, "filename": "a.mp4", "size": 10}, format="json"
    )
    assert refused.status_code == 403
    assert client_for(other).get(f"/api/jobs/{job.pk}").status_code == 404
    assert client_for(other).delete(f"/api/jobs/{job.pk}").status_code == 404
    assert client_for(other).get(f"/api/jobs/film/{film.pk}").json()["count"] == 0
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED


def test_cancel_retry_and_lists_over_the_api(film, creator, staff):
    from transcoding import services

    job = services.job_create(film=film, by=creator, source_path="/nope", enqueue=False)
    client = client_for(creator)

    assert client.delete(f"/api/jobs/{job.pk}").json()["state"] == "cancelled"
    again = client.delete(f"/api/jobs/{job.pk}")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"
    assert client.get("/api/jobs/status/cancelled").json()["count"] == 1
    assert client.get("/api/jobs/status/nonsense").status_code == 400
    assert client.post(f"/api/jobs/{job.pk}/retry").json()["state"] == "queued"
    assert client.get(f"/api/jobs/film/{film.pk}").json()["count"] == 1


def test_queue_stats_for_staff(film, creator, staff):
    from transcoding import services

    services.job_create(film=film, by=creator, source_path="/a", enqueue=False)
    done = services.job_create(film=film, by=creator, source_path="/b", enqueue=False)
    Job.objects.filter(pk=done.pk).update(state=JobState.COMPLETED, realtime_factor=3.0)

    stats = client_for(staff).get("/api/jobs/stats/queue").json()

    assert stats["counts"]["queued"] == 1 and stats["counts"]["completed"] == 1
    assert stats["average_realtime_factor"] == 3.0
    assert stats["oldest_queued_at"] is not None
    assert client_for(creator).get("/api/jobs/stats/queue").status_code == 403


def test_remote_progress_needs_the_worker_token(film, creator, settings):
    from transcoding import services

    settings.TRANSCODING_WORKER_TOKEN = "s3cret-worker-token"
    job = services.job_create(film=film, by=creator, source_path="/a", enqueue=False)
    Job.objects.filter(pk=job.pk).update(state=JobState.TRANSCODING)
    url = f"/api/jobs/{job.pk}/progress"

    assert client_for().patch(url, {"progress": 50}, format="json").status_code == 401
    wrong = client_for().patch(url, {"progress": 50}, format="json", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401
    ok = client_for().patch(
        url, {"progress": 42.5, "eta_seconds": 30}, format="json", HTTP_AUTHORIZATION="Bearer s3cret-worker-token"
    )
    assert ok.status_code == 200
    assert Job.objects.get(pk=job.pk).progress == 42.5


def _signed(secret: str, payload: dict) -> tuple[bytes, str]:
    body = json.dumps(payload).encode()
    return body, "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_akash_webhook_checks_the_signature_and_applies_each_event_once(film, creator, settings):
    from transcoding import services

    settings.TRANSCODING_WEBHOOK_SECRET = "akash-shared-secret"
    job = services.job_create(film=film, by=creator, source_path="/a", enqueue=False)
    Job.objects.filter(pk=job.pk).update(state=JobState.UPLOADING)
    payload = {"event_id": "evt-1", "job_id": job.pk, "outcome": "completed"}
    body, signature = _signed("akash-shared-secret", payload)
    _, forged = _signed("wrong-secret", payload)

    def post(sig):
        return client_for().post(
            "/api/webhooks/akash", data=body, content_type="application/json", HTTP_X_WANS_SIGNATURE=sig
        )

    assert post(forged).status_code == 401
    assert Job.objects.get(pk=job.pk).state == JobState.UPLOADING
    assert post(signature).json() == {"received": True, "applied": True}
    assert post(signature).json() == {"received": True, "applied": False}
    assert Job.objects.get(pk=job.pk).state == JobState.COMPLETED


def test_ffmpegs_last_lines_are_shown_to_staff_and_never_to_the_creator(film, creator, staff):
    from transcoding import services
    from transcoding.probe_checks import UNEXPLAINED_FAILURE

    job = services.job_create(film=film, by=creator, source_path="/m.mp4", enqueue=False)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error=UNEXPLAINED_FAILURE, log_tail="[aac] Too many bits\nConversion failed!\n"
    )

    as_creator = client_for(creator).get(f"/api/jobs/{job.pk}").json()
    as_staff = client_for(staff).get(f"/api/jobs/{job.pk}").json()
    listed = client_for(staff).get(f"/api/jobs/film/{film.pk}").json()["results"][0]

    assert (as_creator["error"], as_creator["log_tail"]) == (UNEXPLAINED_FAILURE, None)
    assert as_staff["log_tail"] == listed["log_tail"] == "[aac] Too many bits\nConversion failed!\n"
    assert "Conversion failed" not in as_staff["error"]


def test_only_the_uploads_owner_writes_parts_into_it(film, creator, staff, make_user):
    data = b"\x00" * (PART + 10)
    started = _start(client_for(creator), film, data)
    upload_id = started["upload_id"]

    by_staff = _put(client_for(staff), upload_id, 1, data)
    by_other = _put(client_for(make_user("creator")), upload_id, 1, data)

    assert by_staff.status_code == 403 and by_staff.json()["error"]["code"] == "permission_denied"
    assert by_other.status_code in (403, 404)
    assert client_for(creator).get(f"/api/upload/{upload_id}").json()["parts_done"] == []
    assert _put(client_for(creator), upload_id, 1, data).status_code == 200
    assert client_for(creator).get(f"/api/upload/{upload_id}").json()["parts_done"] == [1]
