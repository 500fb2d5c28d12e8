"""The S3 path against a local S3 server (moto's, speaking the real S3 HTTP API): presigned multipart upload of a
master, and the pipeline's outputs written to a bucket through django-storages."""

import hashlib
import socket
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import storages
from rest_framework.test import APIClient

from transcoding.models import Job, JobState

pytestmark = pytest.mark.django_db
BUCKET = "wans-test"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_server):
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = s3_server
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"  # noqa: S105
    settings.AWS_QUERYSTRING_EXPIRE = 600
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_S3_FILE_OVERWRITE = False
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )  # noqa: S106
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_presigned_multipart_upload_to_s3_then_transcode(
    s3, film, creator, clips, settings, django_capture_on_commit_callbacks
):
    settings.TRANSCODING_UPLOAD_PART_BYTES = 5 * 1024 * 1024  # S3's smallest part but the last
    data = Path(clips("p720big", width=1280, height=720, seconds=7)).read_bytes()
    assert len(data) > settings.TRANSCODING_UPLOAD_PART_BYTES  # so the upload really has two parts
    api = APIClient()
    api.force_authenticate(creator)

    started = api.post("/api/upload/url", {"film": film.pk, "filename": "master.mp4", "size": len(data)}, format="json")
    assert started.status_code == 201, started.content
    target = started.json()["target"]
    assert target["type"] == "s3_multipart" and len(target["parts"]) == 2
    parts = []
    for part in target["parts"]:
        start = (part["number"] - 1) * target["part_size"]
        request = urllib.request.Request(
            part["url"],
            data=data[start : start + target["part_size"]],
            method="PUT",
            headers={"Content-Type": "application/octet-stream"},  # urllib's default (a form) is not a part
        )
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310  (a presigned URL to our local S3)
            parts.append({"number": part["number"], "etag": answer.headers["ETag"]})

    with django_capture_on_commit_callbacks(execute=True):
        done = api.post(
            "/api/upload/complete", {"upload_id": started.json()["upload_id"], "parts": parts}, format="json"
        )

    assert done.status_code == 201, done.content
    job = Job.objects.get(pk=done.json()["id"])
    assert job.state == JobState.COMPLETED
    key = f"protected/uploads/{started.json()['upload_id']}/master.mp4"
    assert s3.head_object(Bucket=BUCKET, Key=key)["ContentLength"] == len(data)
    # The web server never held the master: it was probed in the bucket, and the worker fetched and hashed it.
    assert job.source_path == f"s3://{BUCKET}/{key}"
    assert not any(Path(settings.TRANSCODING_UPLOAD_ROOT).rglob("*.master"))
    assert job.source_sha256 == hashlib.sha256(data).hexdigest()
    assert job.probe["width"] == 1280 and job.probe["duration"] == 7.0


def _upload_to_s3(api, film, data: bytes, **extra) -> tuple[str, list[dict]]:
    started = api.post(
        "/api/upload/url", {"film": film.pk, "filename": "m.mp4", "size": len(data), **extra}, format="json"
    ).json()
    parts = []
    for part in started["target"]["parts"]:
        start = (part["number"] - 1) * started["target"]["part_size"]
        request = urllib.request.Request(
            part["url"],
            data=data[start : start + started["target"]["part_size"]],
            method="PUT",
            headers={"Content-Type": "application/octet-stream"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            parts.append({"number": part["number"], "etag": answer.headers["ETag"]})
    return started["upload_id"], parts


def test_a_wrong_etag_is_a_400_naming_the_parts(s3, film, creator):
    api = APIClient()
    api.force_authenticate(creator)
    upload_id, parts = _upload_to_s3(api, film, b"z" * 1000)

    response = api.post(
        "/api/upload/complete", {"upload_id": upload_id, "parts": [{"number": 1, "etag": '"0000"'}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"parts": ["InvalidPart"]}
    assert not Job.objects.exists()


def test_a_master_whose_sha256_does_not_match_fails_in_the_worker(
    s3, film, creator, clips, django_capture_on_commit_callbacks
):
    data = Path(clips("p480", width=640, height=480, seconds=2)).read_bytes()
    api = APIClient()
    api.force_authenticate(creator)
    upload_id, parts = _upload_to_s3(api, film, data, sha256="ab" * 32)

    with django_capture_on_commit_callbacks(execute=True):
        done = api.post("/api/upload/complete", {"upload_id": upload_id, "parts": parts}, format="json")

    job = Job.objects.get(pk=done.json()["id"])
    assert (job.state, job.attempts) == (JobState.FAILED, 1)
    assert job.error == "The master in storage does not match the declared SHA-256: upload it again."


def test_outputs_go_to_the_bucket_through_django_storages(s3, s3_server, film, creator, clips, settings):
    from transcoding import services

    settings.STORAGES = {
        **settings.STORAGES,
        "protected": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "protected"}},
    }
    job = services.job_create(
        film=film, by=creator, enqueue=False, source_path=clips("p480", width=640, height=480, seconds=2)
    )

    job = services.job_run(job_id=job.pk)

    assert job.state == JobState.COMPLETED
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="protected/films/")["Contents"]}
    prefix = f"protected/{job.output_prefix}"
    assert {
        f"{prefix}/master.m3u8",
        f"{prefix}/manifest.mpd",
        f"{prefix}/thumbnails.vtt",
        f"{prefix}/poster.jpg",
    } <= keys
    assert storages["protected"].exists(f"{job.output_prefix}/master.m3u8")
