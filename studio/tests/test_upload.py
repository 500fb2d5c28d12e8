import hashlib

import pytest
from django.urls import reverse

from studio.tests.helpers import approved_creator, film_of
from transcoding.models import Job, JobState, UploadPart

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
    assert UploadPart.objects.filter(upload_id=upload_id).count() == 0
    assert client.get(f"/api/upload/{upload_id}").json()["next_part"] == 1


def test_upload_page_carries_the_api_addresses(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    page = client.get(reverse("studio:film-upload", args=[film.pk])).content.decode()
    assert 'data-start-url="/api/upload/url"' in page
    assert "vendor/uppy.min.js" in page and "js/studio-upload.js" in page


def test_job_state_in_plain_words_and_retry(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    job = Job.objects.create(film=film, source_path="/nowhere/master.mp4", state=JobState.FAILED,
                             error="The file is empty (zero bytes).")
    client.force_login(creator)
    answer = client.get(reverse("studio:film-job", args=[film.pk])).json()["job"]
    assert answer == {"id": job.pk, "state": "failed", "stage": "Could not be processed", "percent": 0,
                      "eta_seconds": None, "error": "The file is empty (zero bytes).", "finished": True,
                      "can_retry": True}
    page = client.get(reverse("studio:film-upload", args=[film.pk])).content.decode()
    assert "The file is empty (zero bytes)." in page
    answer = client.post(reverse("studio:film-job-retry", args=[film.pk]), follow=True)
    assert "Trying again." in answer.content.decode()
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.QUEUED, "")  # back in the queue
