"""Resuming an S3 multipart upload from what the bucket holds (the creator portal's uploader after a page reload):
the status lists the parts the bucket has with their ETags, and a fresh presigned URL is given per missing part."""

import urllib.request
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from transcoding.models import Job, JobState
from transcoding.tests.test_s3 import s3, s3_server  # noqa: F401  (the local S3 server and its bucket)

pytestmark = pytest.mark.django_db


def _put(url: str, data: bytes) -> str:
    request = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310  (a presigned URL to our local S3)
        return answer.headers["ETag"]


def test_an_s3_upload_resumes_from_the_parts_the_bucket_holds(
    s3, film, creator, clips, settings, django_capture_on_commit_callbacks  # noqa: F811
):
    settings.TRANSCODING_UPLOAD_PART_BYTES = 5 * 1024 * 1024
    data = Path(clips("p720big", width=1280, height=720, seconds=7)).read_bytes()
    api = APIClient()
    api.force_authenticate(creator)
    started = api.post("/api/upload/url", {"film": film.pk, "filename": "master.mp4", "size": len(data)}, format="json")
    upload_id, target = started.json()["upload_id"], started.json()["target"]
    first = _put(target["parts"][0]["url"], data[: target["part_size"]])

    status = api.get(f"/api/upload/{upload_id}").json()  # the page was reloaded: what does the bucket have?
    assert (status["parts_done"], status["next_part"], status["etags"]) == ([1], 2, {"1": first})
    assert status["bytes_received"] == target["part_size"]
    url = api.get(f"/api/upload/{upload_id}/parts/2/url").json()["url"]
    second = _put(url, data[target["part_size"]:])
    status = api.get(f"/api/upload/{upload_id}").json()
    with django_capture_on_commit_callbacks(execute=True):
        done = api.post("/api/upload/complete", {"upload_id": upload_id, "parts": [
            {"number": int(n), "etag": etag} for n, etag in status["etags"].items()]}, format="json")
    assert done.status_code == 201, done.content
    assert status["etags"] == {"1": first, "2": second}
    assert Job.objects.get(pk=done.json()["id"]).state == JobState.COMPLETED


def test_a_part_url_is_only_for_the_uploads_owner(s3, film, creator, make_user):  # noqa: F811
    api = APIClient()
    api.force_authenticate(creator)
    upload_id = api.post("/api/upload/url", {"film": film.pk, "filename": "m.mp4", "size": 10}, format="json").json()[
        "upload_id"]
    api.force_authenticate(make_user("creator"))
    assert api.get(f"/api/upload/{upload_id}/parts/1/url").status_code == 404
    api.force_authenticate(creator)
    answer = api.get(f"/api/upload/{upload_id}/parts/2/url")
    assert answer.status_code == 400 and answer.json()["error"]["fields"] == {"number": ["Out of range."]}
