"""Who may see an upload (selectors.upload_for), who may complete it (its owner only), and the remote workers' checks
(remote.py): the rules the API views used to write themselves."""

import hashlib
import hmac
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from transcoding import remote, selectors, uploads
from transcoding.errors import JobPermissionDenied, NotAuthenticated
from transcoding.models import Job, Upload

pytestmark = pytest.mark.django_db
PART = 256 * 1024


@pytest.fixture(autouse=True)
def _small_parts(settings):
    settings.TRANSCODING_UPLOAD_PART_BYTES = PART


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _uploaded(client: APIClient, film, data: bytes) -> str:
    """A chunked upload of `data` with every part sent; returns its id."""
    started = client.post("/api/upload/url", {"film": film.pk, "filename": "m.mp4", "size": len(data)}, format="json")
    upload_id = started.json()["upload_id"]
    for number in range(1, -(-len(data) // PART) + 1):
        chunk = data[(number - 1) * PART : number * PART]
        url = f"/api/upload/{upload_id}/parts/{number}"
        sent = client.put(url, data=chunk, content_type="application/octet-stream")
        assert sent.status_code == 200, sent.content
    return upload_id


def test_an_upload_is_visible_to_its_owner_and_staff_and_to_no_one_else(film, creator, staff, make_user):
    upload = uploads.upload_start(film=film, by=creator, filename="m.mp4", size=10)
    other = make_user("creator")

    assert selectors.upload_for(upload_id=upload.pk, user=creator) == upload
    assert selectors.upload_for(upload_id=upload.pk, user=staff) == upload
    assert selectors.upload_for(upload_id=upload.pk, user=other) is None
    assert selectors.upload_for(upload_id="00000000-0000-0000-0000-000000000000", user=staff) is None


def test_staff_cannot_complete_a_creators_upload_and_nothing_changes(film, creator, staff, clips):
    data = Path(clips("p240", width=320, height=240, seconds=2)).read_bytes()
    upload_id = _uploaded(_client(creator), film, data)

    refused = _client(staff).post("/api/upload/complete", {"upload_id": upload_id}, format="json")

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert Upload.objects.get(pk=upload_id).completed_at is None
    assert Job.objects.count() == 0
    with pytest.raises(JobPermissionDenied):
        uploads.upload_complete(upload=Upload.objects.get(pk=upload_id), by=staff)
    assert Job.objects.count() == 0


def test_the_owner_completes_the_upload_staff_could_not(
    film, creator, staff, clips, django_capture_on_commit_callbacks
):
    data = Path(clips("p240", width=320, height=240, seconds=2)).read_bytes()
    upload_id = _uploaded(_client(creator), film, data)
    assert _client(staff).post("/api/upload/complete", {"upload_id": upload_id}, format="json").status_code == 403

    with django_capture_on_commit_callbacks(execute=False):
        done = _client(creator).post("/api/upload/complete", {"upload_id": upload_id}, format="json")

    assert done.status_code == 201, done.content
    job = Job.objects.get()
    assert (job.created_by, job.source_size) == (creator, len(data))
    assert Upload.objects.get(pk=upload_id).completed_at is not None


def test_staff_still_see_a_creators_upload(film, creator, staff):
    upload_id = _uploaded(_client(creator), film, b"\x01" * 10)

    status = _client(staff).get(f"/api/upload/{upload_id}")

    assert status.status_code == 200
    assert (status.json()["parts_done"], status.json()["completed"]) == ([1], False)


def test_the_worker_token_is_checked_in_full_and_refused_while_unset(settings):
    settings.TRANSCODING_WORKER_TOKEN = ""
    with pytest.raises(NotAuthenticated):
        remote.worker_token_verify(header="Bearer ")
    settings.TRANSCODING_WORKER_TOKEN = "tok-123"

    remote.worker_token_verify(header="Bearer tok-123")
    for header in ("", "Bearer tok-12", "Bearer tok-1234", "tok-124"):
        with pytest.raises(NotAuthenticated) as refused:
            remote.worker_token_verify(header=header)
        assert (refused.value.code, refused.value.http_status) == ("not_authenticated", 401)


def test_a_callback_is_taken_only_with_the_bodys_own_signature(settings):
    settings.TRANSCODING_WEBHOOK_SECRET = "hook-secret"
    body = b'{"event_id":"e1","job_id":1,"outcome":"completed"}'
    good = "sha256=" + hmac.new(b"hook-secret", body, hashlib.sha256).hexdigest()

    remote.remote_callback_verify(body=body, header=good)
    for body_sent, header in [(body + b" ", good), (body, good.upper()), (body, ""), (body, "sha256=é")]:
        with pytest.raises(NotAuthenticated) as refused:
            remote.remote_callback_verify(body=body_sent, header=header)
        assert refused.value.code == "bad_signature"
    settings.TRANSCODING_WEBHOOK_SECRET = ""
    unsigned = "sha256=" + hmac.new(b"", body, hashlib.sha256).hexdigest()
    with pytest.raises(NotAuthenticated):
        remote.remote_callback_verify(body=body, header=unsigned)


def test_jobs_of_a_film_id_beyond_any_database_id_is_an_empty_page_not_a_500(client, make_user):
    client.force_login(make_user("creator"))
    answer = client.get("/api/jobs/film/8975971441401449363938476032")
    assert answer.status_code == 200
    assert answer.json()["results"] == []
