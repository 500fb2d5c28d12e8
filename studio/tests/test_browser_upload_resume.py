"""An upload through the real Uppy widget, cut off half-way and carried on, in headless Chromium (issue 13): the master
is a real 2 s film of about 15 MB (three S3-sized parts of 5 MiB). After a page reload the same file chosen again
resumes from the parts the server holds (on S3: the bucket's ListParts), and after a dropped network the parts in
flight are sent again when it is back; either way no finished part is sent twice, and the stored master has the
file's SHA-256. Against the local S3 server the tests use (moto's, speaking the S3 HTTP API), and against local
storage (the project's chunked API)."""

import hashlib
import socket
from urllib.parse import parse_qs, urlsplit

import pytest

from catalog import services as catalog_services
from studio.tests.helpers import make_clip
from studio.tests.test_browser_studio import DESKTOP, PASSWORD, _login, _shot
from transcoding import selectors as transcoding_selectors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MIB = 1024 * 1024
BUCKET = "wans-studio-test"


@pytest.fixture(autouse=True)
def _parts(settings):
    settings.WANS_COUNTRY_HEADER = ""
    settings.TRANSCODING_UPLOAD_PART_BYTES = 5 * MIB  # S3's smallest part but the last, on both backends


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    """A real film (2 s, 320×180) sent at 60 Mbit/s: about 15 MB, so three parts, which transcode in seconds."""
    path = make_clip(tmp_path_factory.mktemp("masters") / "master.mp4", seconds=2, video_kbit=60_000)
    assert 2 * 5 * MIB < path.stat().st_size <= 3 * 5 * MIB
    return path


@pytest.fixture
def s3_bucket(settings):
    """A local S3 server (moto's, speaking the real S3 HTTP API) with a bucket whose CORS lets the page PUT parts
    and read their ETags, as the production bucket must."""
    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"  # noqa: S105
    settings.AWS_QUERYSTRING_EXPIRE = 600
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_S3_FILE_OVERWRITE = False
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # noqa: S106
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [{
        "AllowedOrigins": ["*"], "AllowedMethods": ["PUT", "GET"], "AllowedHeaders": ["*"],
        "ExposeHeaders": ["ETag"]}]})
    yield client
    server.stop()


def _part(request) -> int | None:
    """The part number a request sends: a PUT to a presigned S3 URL (?partNumber=) or to /api/upload/<id>/parts/<n>."""
    if request.method != "PUT":
        return None
    url = urlsplit(request.url)
    if "partNumber" in parse_qs(url.query):
        return int(parse_qs(url.query)["partNumber"][0])
    if "/api/upload/" in url.path and "/parts/" in url.path:
        return int(url.path.rsplit("/", 1)[1])
    return None


def _upload_page(chromium, live_server, make_user, title):
    user = make_user("creator", password=PASSWORD, display_name="Kina Films")
    film = catalog_services.film_create(creator=user, data={"title": title})
    context, page = _login(chromium, DESKTOP, live_server, user)
    page.goto(f"{live_server.url}/studio/films/{film.pk}/upload/")
    return film, context, page


def _start(page, master):
    """Choose the file and press Upload; return once part 1 has arrived."""
    page.locator("#uppy input[type=file]").first.set_input_files(str(master))
    with page.expect_response(lambda response: _part(response.request) == 1 and response.ok):
        page.locator(".uppy-StatusBar-actionBtn--upload").click()


def _finished(page, screenshots, name, logs):
    try:
        page.locator("#job[data-state=completed]").wait_for(timeout=180_000)
    except Exception:
        _shot(page, screenshots, f"{name}-debug", DESKTOP)
        raise AssertionError("\n".join(logs)) from None


def _parts_route(page, s3_bucket) -> str:
    return f"{s3_bucket.meta.endpoint_url}/**" if s3_bucket else "**/api/upload/*/parts/*"


def test_an_s3_upload_resumes_after_a_reload_sending_only_the_missing_parts(
    chromium, live_server, screenshots, make_user, master, s3_bucket
):
    film, context, page = _upload_page(chromium, live_server, make_user, "Bucket Film")
    route = _parts_route(page, s3_bucket)
    # Part 1 reaches the bucket; the others fail (and are retried) until the page is reloaded
    page.route(route, lambda r: r.continue_() if _part(r.request) in (None, 1) else r.abort("internetdisconnected"))
    _start(page, master)
    page.wait_for_timeout(700)
    _shot(page, screenshots, "upload-s3-interrupted", DESKTOP)
    assert transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk]) == {}

    page.reload()
    page.unroute(route)
    sent, logs = [], []
    page.on("request", lambda request: sent.append((request.method, request.url, _part(request))))
    page.on("response", lambda response: logs.append(f"{response.status} {response.request.method} {response.url}"))
    page.locator("#uppy input[type=file]").first.set_input_files(str(master))
    page.locator(".uppy-StatusBar-actionBtn--upload").click()
    _finished(page, screenshots, "upload-s3", logs)

    assert sorted(number for _, _, number in sent if number) == [2, 3]  # part 1 was in the bucket already
    assert not any(url.endswith("/api/upload/url") for _, url, _ in sent)  # the same multipart upload, not a new one
    job = transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk])[film.pk]
    assert job.state == "completed"
    assert job.source_path.startswith(f"s3://{BUCKET}/protected/uploads/")
    stored = s3_bucket.get_object(Bucket=BUCKET, Key=job.source_path.split("/", 3)[3])["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == hashlib.sha256(master.read_bytes()).hexdigest() == job.source_sha256
    _shot(page, screenshots, "upload-s3-done", DESKTOP)
    context.close()


@pytest.mark.parametrize("backend", ["s3", "local"])
def test_an_upload_carries_on_when_the_network_comes_back(
    chromium, live_server, screenshots, make_user, master, backend, request
):
    s3_bucket = request.getfixturevalue("s3_bucket") if backend == "s3" else None
    film, context, page = _upload_page(chromium, live_server, make_user, f"Offline Film {backend}")
    route = _parts_route(page, s3_bucket)
    sent, done, logs, held = [], [], [], []
    page.on("request", lambda r: sent.append(_part(r)) if _part(r) else None)
    page.on("response", lambda r: done.append(_part(r.request)) if _part(r.request) and r.ok else None)
    page.on("response", lambda response: logs.append(f"{response.status} {response.request.method} {response.url}"))
    # Part 1 arrives; parts 2 and 3 are on their way when the network drops
    page.route(route, lambda r: r.continue_() if _part(r.request) in (None, 1) else held.append(r))
    _start(page, master)
    for _ in range(40):
        if len(held) == 2:
            break
        page.wait_for_timeout(250)
    context.set_offline(True)
    for cut in held:
        cut.abort("internetdisconnected")
    page.unroute(route)
    page.get_by_text("The connection dropped. The upload carries on when it is back.").first.wait_for()
    page.wait_for_timeout(1000)  # offline: the uploader waits for the network instead of spending its tries
    _shot(page, screenshots, f"upload-offline-{backend}", DESKTOP)
    assert sorted(sent) == [1, 2, 3] and done == [1]
    assert transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk]) == {}

    context.set_offline(False)
    _finished(page, screenshots, f"upload-offline-{backend}", logs)

    assert sorted(done) == [1, 2, 3]  # each part arrived once
    assert sorted(sent) == [1, 2, 2, 3, 3]  # only the two cut off were sent again
    job = transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk])[film.pk]
    assert job.state == "completed"
    assert job.source_sha256 == hashlib.sha256(master.read_bytes()).hexdigest()
    if s3_bucket:
        stored = s3_bucket.get_object(Bucket=BUCKET, Key=job.source_path.split("/", 3)[3])["Body"].read()
        assert hashlib.sha256(stored).hexdigest() == job.source_sha256
    context.close()
