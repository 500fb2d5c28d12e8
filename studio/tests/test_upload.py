import hashlib

import pytest
from django.urls import reverse
from django.utils.html import escape

from studio.tests.helpers import approved_creator, film_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_parts(settings):
    settings.TRANSCODING_UPLOAD_PART_BYTES = 4


def _start(client, film, size):
    answer = client.post("/api/upload/url", {"film": film.pk, "filename": "m.mp4", "size": size},
                         content_type="application/json")
    assert answer.status_code == 201
    return answer.json()["upload_id"]


def test_a_part_with_its_checksum_is_recorded(client, make_user, small_parts):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    upload_id = _start(client, film, 8)
    answer = client.put(f"/api/upload/{upload_id}/parts/1", b"abcd", content_type="application/octet-stream",
                        headers={"X-Part-SHA256": hashlib.sha256(b"abcd").hexdigest()})
    assert answer.status_code == 200
    assert answer.json()["parts_done"] == [1]


def test_a_damaged_part_is_refused_and_not_counted(client, make_user, small_parts):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    upload_id = _start(client, film, 8)
    answer = client.put(f"/api/upload/{upload_id}/parts/2", b"abcX", content_type="application/octet-stream",
                        headers={"X-Part-SHA256": hashlib.sha256(b"abcd").hexdigest()})
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {"sha256": ["Mismatch."]}
    status = client.get(f"/api/upload/{upload_id}").json()
    assert (status["parts_done"], status["next_part"], status["bytes_received"]) == ([], 1, 0)


def test_upload_page_carries_the_api_addresses(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    page = client.get(reverse("studio:film-upload", args=[film.pk])).content.decode()
    assert 'data-start-url="/api/upload/url"' in page
    assert "vendor/uppy.min.js" in page and "js/studio-upload.js" in page


def test_job_state_in_plain_words_and_retry(client, make_user, small_parts):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    upload_id = _start(client, film, 4)
    client.put(f"/api/upload/{upload_id}/parts/1", b"\0\0\0\0", content_type="application/octet-stream")
    refused = client.post("/api/upload/complete", {"upload_id": upload_id}, content_type="application/json")
    assert refused.status_code == 400
    job_id = refused.json()["error"]["job_id"]
    answer = client.get(reverse("studio:film-job", args=[film.pk])).json()["job"]
    reason = answer.pop("error")
    assert answer == {"id": job_id, "state": "failed", "stage": "Could not be processed", "percent": 0,
                      "eta_seconds": None, "finished": True, "can_retry": True}
    assert reason == refused.json()["error"]["message"] != ""
    page = client.get(reverse("studio:film-upload", args=[film.pk])).content.decode()
    assert "The film could not be processed." in page and escape(reason) in page
    answer = client.post(reverse("studio:film-job-retry", args=[film.pk]), follow=True)
    assert "Trying again." in answer.content.decode()
    job = client.get(reverse("studio:film-job", args=[film.pk])).json()["job"]
    assert (job["id"], job["state"], job["error"]) == (job_id, "queued", "")  # back in the queue


def test_upload_page_lets_the_browser_reach_the_bucket_only_when_uploads_go_to_s3(client, make_user, settings):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    url = reverse("studio:film-upload", args=[film.pk])
    assert _directives(client.get(url))["connect-src"] == "'self'"
    settings.AWS_STORAGE_BUCKET_NAME = "wans-media"
    settings.AWS_S3_ENDPOINT_URL = "https://s3.example.net"
    assert _directives(client.get(url))["connect-src"] == "'self' https://s3.example.net https://*.s3.example.net"


def _directives(response) -> dict[str, str]:
    """The Content-Security-Policy's directives by name (their order varies)."""
    parts = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    return dict(parts)
