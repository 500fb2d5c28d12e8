"""Protected delivery and DRM: per-session manifests with only the plan's rungs, signed media URLs (tampering and
expiry refused), keys and licenses only for a live entitled session, forwarding to a (fake) license service."""

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import m3u8
import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.apps import apps
from django.test import Client
from django.utils import timezone

from playback import signing
from playback.models import PlaybackSession
from transcoding import selectors as transcoding_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(viewer, film, svod, media, subscribe, client_for):
    subscribe(viewer, "basic")  # top 720
    client = client_for(viewer)
    answer = client.post("/api/sessions/start", {"film": film.pk}, format="json")
    assert answer.status_code == 201, answer.json()
    return client, answer.json()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_the_hls_master_lists_only_the_plans_rungs_and_plays_through_signed_urls(
    started, film, make_user, subscribe, client_for, svod
):
    client, session = started
    anonymous = Client()  # the player fetches manifests and segments without credentials: the token is the pass
    master = anonymous.get(session["manifests"]["hls"])
    assert master.status_code == 200 and master["Content-Type"] == "application/vnd.apple.mpegurl"
    playlist = m3u8.loads(master.content.decode())
    heights = sorted(p.stream_info.resolution[1] for p in playlist.playlists if p.stream_info.resolution)
    assert heights == [240, 360, 480, 720]

    media_url = next(p.uri for p in playlist.playlists if p.stream_info.resolution == (1280, 720))
    media_playlist = anonymous.get(media_url).content.decode()
    parsed = m3u8.loads(media_playlist)
    key_uri = parsed.keys[-1].uri
    assert parsed.keys[-1].method == "AES-128" and key_uri.startswith(f"/api/drm/hls-key/{film.pk}?t=")
    key = anonymous.get(key_uri)
    assert key.status_code == 200 and len(key.content) == 16 and key["Cache-Control"] == "no-store, private"

    # a segment through its signed URL, decrypted with the delivered key and IV = its media sequence number
    segment = anonymous.get(parsed.segments[0].uri)
    assert segment.status_code == 200
    data = b"".join(segment.streaming_content)
    decryptor = Cipher(algorithms.AES(key.content), modes.CBC(parsed.media_sequence.to_bytes(16, "big"))).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    clear = unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()
    assert clear[4:8] in (b"styp", b"moof")
    init = anonymous.get(parsed.segment_map[0].uri)
    assert init.status_code == 200 and b"ftyp" in b"".join(init.streaming_content)[:16]

    # a higher plan sees 720p too, but a 1080p rung does not exist; the basic plan cannot fetch a rung above it
    audio_only = m3u8.loads(anonymous.get(session["manifests"]["hls_audio_only"]).content.decode())
    assert len(audio_only.playlists) == 1 and audio_only.playlists[0].stream_info.resolution is None


def test_the_dash_mpd_is_cenc_with_a_signed_base_url_and_the_plans_rungs(started, film):
    client, session = started
    PlaybackSession.objects.update(top_height=360)
    mpd = Client().get(session["manifests"]["dash"])
    assert mpd.status_code == 200 and mpd["Content-Type"] == "application/dash+xml"
    text = mpd.content.decode()
    assert 'height="720"' not in text and 'height="480"' not in text and 'height="360"' in text
    assert "urn:mpeg:dash:mp4protection:2011" in text and "cenc:default_KID" in text
    base = text.split("<BaseURL>")[1].split("</BaseURL>")[0]
    assert base.startswith("/protected/") and base.endswith("/dash/")
    init = Client().get(base + "init_0.m4s")
    assert init.status_code == 200


def test_signed_urls_refuse_tampering_expiry_and_other_folders(started, film):
    media = transcoding_selectors.film_media(film_id=film.pk)
    good = signing.signed_url(media.path("hls/seg_0_00001.m4s"), expires=int(time.time()) + 60)
    assert Client().get(good).status_code == 200
    parts = good.split("/")  # ['', 'protected', expires, depth, signature, ...path]
    tampered_sig = "/".join(parts[:4] + [parts[4][:-2] + ("AA" if parts[4][-2:] != "AA" else "BB")] + parts[5:])
    later = "/".join(parts[:2] + [str(int(parts[2]) + 3600)] + parts[3:])
    other_folder = good.replace("/hls/seg_0_00001.m4s", "/../keys")
    outside = "/".join(parts[:5]) + "/" + media.path("dash/init_0.m4s")  # the signature covers hls/ only
    shallower = "/".join(parts[:3] + ["1"] + parts[4:])
    for url in (tampered_sig, later, other_folder, outside, shallower):
        answer = Client().get(url)
        assert answer.status_code in (403, 404), url
        if answer.status_code == 403:
            assert answer.json()["error"]["code"] == "bad_signature"
    expired = signing.signed_url(media.path("hls/seg_0_00001.m4s"), expires=int(time.time()) - 1)
    answer = Client().get(expired)
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "expired_signature")


def test_x_accel_redirect_hands_the_file_to_nginx(started, film, settings):
    settings.PLAYBACK_SENDFILE = "x-accel"
    media = transcoding_selectors.film_media(film_id=film.pk)
    answer = Client().get(signing.signed_url(media.path("hls/seg_0_00001.m4s"), expires=int(time.time()) + 60))
    assert (
        answer.status_code == 200 and answer["X-Accel-Redirect"] == f"/_protected/{media.path('hls/seg_0_00001.m4s')}"
    )
    assert answer.content == b""


def test_manifests_refuse_a_forged_token_and_an_ended_session(started, film):
    client, session = started
    assert Client().get(f"/api/streams/{film.pk}/manifest?protocol=hls&st=forged").status_code == 403
    other_film = session["manifests"]["hls"].replace(f"/streams/{film.pk}/", f"/streams/{film.pk + 1}/")
    assert Client().get(other_film).status_code == 403
    client.post(session["stop_url"], {"position": 1.0}, format="json")
    answer = Client().get(session["manifests"]["hls"])
    assert (answer.status_code, answer.json()["error"]["code"]) == (410, "session_ended")


def _drm_token(client, session, film):
    answer = client.get(session["drm"]["token_url"])
    assert answer.status_code == 200, answer.json()
    return answer.json()["token"]


def test_clearkey_license_gives_the_films_key_to_a_live_session_only(started, film, make_user, client_for):
    client, session = started
    key = transcoding_selectors.film_key(film_id=film.pk)
    token = _drm_token(client, session, film)
    url = f"{session['drm']['clearkey_license_url']}?t={token}"
    body = json.dumps({"kids": [_b64(key.kid), _b64(b"\x00" * 16)], "type": "temporary"})

    answer = Client().post(url, body, content_type="application/json")

    assert answer.status_code == 200
    assert answer.json() == {"keys": [{"kty": "oct", "kid": _b64(key.kid), "k": _b64(key.key)}], "type": "temporary"}
    assert Client().post(url, "not json", content_type="application/json").json()["error"]["fields"] == {
        "kids": ['Send {"kids": ["<base64url key id>"], "type": "temporary"}.']
    }
    # another account cannot mint a token for this session; an ended session's token no longer opens keys
    assert client_for(make_user("viewer")).get(session["drm"]["token_url"]).status_code == 404
    client.post(session["stop_url"], {"position": 1.0}, format="json")
    assert Client().post(url, body, content_type="application/json").status_code == 410
    assert client.get(session["drm"]["token_url"]).status_code == 410


def test_key_endpoints_refuse_without_a_token_with_an_expired_one_and_after_access_ends(started, film, settings):
    client, session = started
    assert Client().get(f"/api/drm/hls-key/{film.pk}").status_code == 403
    token = _drm_token(client, session, film)
    settings.PLAYBACK_DRM_TOKEN_SECONDS = 10
    from django.core import signing as django_signing

    real_time = time.time
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(django_signing.time, "time", lambda: real_time() + 60)
        answer = Client().get(f"/api/drm/hls-key/{film.pk}?t={token}")
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "expired_signature")
    # access ends (the subscription lapses): no key, with the refusal's code
    apps.get_model("billing", "Subscription").objects.update(
        status="cancelled", current_period_end=timezone.now() - timedelta(days=30)
    )
    answer = Client().get(f"/api/drm/hls-key/{film.pk}?t={token}")
    assert (answer.status_code, answer.json()["error"]["code"]) == (402, "no_entitlement")


class _FakeLicenseService(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        self.received.append(
            {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": self.rfile.read(length),
            }
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        self.wfile.write(b"LICENSE-FOR-" + self.received[-1]["body"][:8])

    def log_message(self, *args):
        pass


@pytest.fixture
def license_service():
    server = HTTPServer(("127.0.0.1", 0), _FakeLicenseService)
    _FakeLicenseService.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _FakeLicenseService.received
    server.shutdown()


def test_widevine_license_requests_are_forwarded_after_authorizing_the_session(
    started, film, settings, license_service
):
    url, received = license_service
    settings.PLAYBACK_LICENSE_SERVICES = {
        **settings.PLAYBACK_LICENSE_SERVICES,
        "widevine": {
            "url": f"{url}/widevine?provider=wans",
            "auth_header": "Bearer svc-123",
            "secret": "s3",
            "timeout": 5,
        },
    }
    client, session = started
    token = _drm_token(client, session, film)
    challenge = b"\x08\x04CHALLENGE-BYTES"

    answer = Client().post(
        f"/api/drm/license/widevine/{film.pk}?t={token}", challenge, content_type="application/octet-stream"
    )

    assert (answer.status_code, answer.content) == (200, b"LICENSE-FOR-" + challenge[:8])
    [forwarded] = received
    key = transcoding_selectors.film_key(film_id=film.pk)
    assert forwarded["path"] == "/widevine?provider=wans" and forwarded["body"] == challenge
    headers = forwarded["headers"]
    assert (headers["authorization"], headers["x-wans-key-id"], headers["x-wans-session"]) == (
        "Bearer svc-123",
        key.kid_hex,
        session["id"],
    )
    assert headers["x-wans-max-height"] == "720"
    signed = (
        f"{headers['x-wans-timestamp']}.{key.kid_hex}.{session['id']}.".encode()
        + hashlib.sha256(challenge).hexdigest().encode()
    )
    assert headers["x-wans-signature"] == "sha256=" + hmac.new(b"s3", signed, hashlib.sha256).hexdigest()
    # without a token nothing is forwarded
    assert (
        Client()
        .post(f"/api/drm/license/widevine/{film.pk}", challenge, content_type="application/octet-stream")
        .status_code
        == 403
    )
    assert len(received) == 1


def test_license_systems_without_a_service_answer_501(started, film):
    client, session = started
    token = _drm_token(client, session, film)
    for system in ("widevine", "fairplay", "playready"):
        answer = Client().post(
            f"/api/drm/license/{system}/{film.pk}?t={token}", b"x", content_type="application/octet-stream"
        )
        assert (answer.status_code, answer.json()["error"]["code"]) == (501, "license_service_not_configured")
    assert (
        Client()
        .post(f"/api/drm/license/nope/{film.pk}?t={token}", b"x", content_type="application/octet-stream")
        .status_code
        == 400
    )


def test_thumbnails_vtt_is_signed_and_qualities_follow_the_plan(started, film, viewer):
    client, session = started
    vtt = Client().get(session["thumbnails_vtt"]).content.decode()
    sprite = next(line for line in vtt.splitlines() if line.startswith("/protected/"))
    assert Client().get(sprite.split("#")[0]).status_code == 200
    qualities = client.get(f"/api/streams/{film.pk}/qualities").json()
    assert qualities["top_height"] == 720 and [q["rung"] for q in qualities["qualities"]] == [
        720,
        480,
        360,
        240,
        "audio",
    ]
    query = parse_qs(urlsplit(session["manifests"]["hls"]).query)
    assert set(query) == {"protocol", "st"}
