"""Protected delivery and DRM: per-session manifests with only the plan's rungs; media tokens scoped to one
rendition folder, short-lived and renewed by the live session; one key per quality class, released only for the
plan's classes; keys and licenses only for a live entitled session; forwarding to a (fake) license service."""

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import threading
import time
import xml.etree.ElementTree as ET
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import m3u8
import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
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


def _decrypt(data: bytes, key: bytes, sequence: int) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(sequence.to_bytes(16, "big"))).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(decryptor.update(data) + decryptor.finalize()) + unpadder.finalize()


def _body(answer) -> bytes:
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


def _rendition(film, rung):
    media = transcoding_selectors.film_media(film_id=film.pk)
    return next(r for r in media.renditions if (r.rung if rung != "audio" else r.kind) == rung and not r.audio_only)


def _playlist(session, film, rung):
    """The session's HLS media playlist of one rung (as the player gets it: master -> media playlist)."""
    rendition = _rendition(film, rung)
    url = f"/api/streams/{film.pk}/hls/{rendition.playlist.rpartition('/')[2]}?" + session["manifests"]["hls"].split(
        "?", 1
    )[1].replace("protocol=hls&", "")
    answer = Client().get(url)
    return answer, (m3u8.loads(answer.content.decode()) if answer.status_code == 200 else None)


def test_the_hls_master_lists_only_the_plans_rungs_and_plays_through_tokened_urls(started, film):
    client, session = started
    anonymous = Client()  # the player fetches manifests and segments without credentials: the token is the pass
    master = anonymous.get(session["manifests"]["hls"])
    assert master.status_code == 200 and master["Content-Type"] == "application/vnd.apple.mpegurl"
    playlist = m3u8.loads(master.content.decode())
    heights = sorted(p.stream_info.resolution[1] for p in playlist.playlists if p.stream_info.resolution)
    assert heights == [240, 360, 480, 720]

    media_url = next(p.uri for p in playlist.playlists if p.stream_info.resolution == (1280, 720))
    parsed = m3u8.loads(anonymous.get(media_url).content.decode())
    key_uri = parsed.keys[-1].uri
    hd = _rendition(film, 720)
    assert parsed.keys[-1].method == "AES-128" and key_uri.startswith(f"/api/drm/hls-key/{film.pk}?kid={hd.key_id}&t=")
    key = anonymous.get(key_uri)
    assert key.status_code == 200 and len(key.content) == 16 and key["Cache-Control"] == "no-store, private"

    # a segment through its tokened URL (the token in the query, the path the content's), decrypted with the
    # delivered key and IV = its media sequence number
    segment_url = parsed.segments[0].uri
    path, _, query = segment_url.partition("?")
    folder = transcoding_selectors.film_media(film_id=film.pk).folder(hd, "hls")
    assert path.rpartition("/")[0] == f"/protected/{folder}" and query.startswith("t=")
    segment = anonymous.get(segment_url)
    assert segment.status_code == 200 and segment["Cache-Control"] == "public, max-age=31536000, immutable"
    assert _decrypt(_body(segment), key.content, parsed.media_sequence)[4:8] in (b"styp", b"moof")
    init = anonymous.get(parsed.segment_map[0].uri)
    assert init.status_code == 200 and b"ftyp" in _body(init)[:16]

    audio_only = m3u8.loads(anonymous.get(session["manifests"]["hls_audio_only"]).content.decode())
    assert len(audio_only.playlists) == 1 and audio_only.playlists[0].stream_info.resolution is None


def test_a_360p_token_cannot_fetch_a_720p_file_nor_the_stored_master_or_media_playlists(started, film):
    client, session = started
    PlaybackSession.objects.update(top_height=360)
    media = transcoding_selectors.film_media(film_id=film.pk)
    hd, sd = _rendition(film, 720), _rendition(film, 360)
    answer, parsed = _playlist(session, film, 360)
    assert answer.status_code == 200
    segment_url = parsed.segments[0].uri
    assert Client().get(segment_url).status_code == 200
    token = segment_url.split("?t=", 1)[1]
    sd_folder, hd_folder = media.folder(sd, "hls"), media.folder(hd, "hls")
    segment_name = segment_url.split("?")[0].rpartition("/")[2]
    hd_segment = segment_name.replace(f"seg_{sd.representation_id}_", f"seg_{hd.representation_id}_")
    for path in (
        f"{hd_folder}/{hd_segment}",
        f"{hd_folder}/init_{hd.representation_id}.m4s",
        media.path("hls/master.m3u8"),
        media.path(f"hls/media_{hd.representation_id}.m3u8"),
        media.path(f"hls/media_{sd.representation_id}.m3u8"),  # the stored playlist, outside the rendition folder
        f"{sd_folder}/../{hd.representation_id}/{hd_segment}",
        media.path(f"dash/{hd.representation_id}/init.m4s"),
    ):
        refused = Client().get(f"/protected/{path}?t={token}")
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "bad_signature"), path
    # the session's own 720p playlist is refused too, and the master does not list it
    assert _playlist(session, film, 720)[0].status_code == 403
    master = Client().get(session["manifests"]["hls"]).content.decode()
    assert f"media_{hd.representation_id}.m3u8" not in master and f"media_{sd.representation_id}.m3u8" in master


def test_the_dash_mpd_carries_only_the_plans_classes_and_a_360p_token_cannot_fetch_720p(started, film):
    client, session = started
    PlaybackSession.objects.update(top_height=360)
    media = transcoding_selectors.film_media(film_id=film.pk)
    hd, sd, audio = _rendition(film, 720), _rendition(film, 360), _rendition(film, "audio")
    mpd = Client().get(session["manifests"]["dash"])
    assert mpd.status_code == 200 and mpd["Content-Type"] == "application/dash+xml"
    root = ET.fromstring(mpd.content)  # noqa: S314
    ns = {"d": "urn:mpeg:dash:schema:mpd:2011"}
    heights = sorted(int(r.get("height")) for r in root.iterfind(".//d:Representation", ns) if r.get("height"))
    assert heights == [240, 360]
    kids = {
        cp.get("{urn:mpeg:cenc:2013}default_KID").replace("-", "")
        for cp in root.iterfind(".//d:ContentProtection", ns)
        if cp.get("{urn:mpeg:cenc:2013}default_KID")
    }
    assert kids == {sd.key_id, audio.key_id} and hd.key_id not in mpd.content.decode()
    assert root.find("d:BaseURL", ns) is None
    template = root.find(f".//d:Representation[@id='{sd.representation_id}']/d:SegmentTemplate", ns)
    init_url = template.get("initialization")
    assert init_url.startswith(f"/protected/{media.folder(sd, 'dash')}/init.m4s?t=")
    assert Client().get(init_url).status_code == 200
    first = template.get("media").replace("$Number$", "1")
    assert Client().get(first).status_code == 200
    token = init_url.split("?t=", 1)[1]
    for path in (
        f"{media.folder(hd, 'dash')}/init.m4s",
        f"{media.folder(hd, 'dash')}/seg_1.m4s",
        media.path("dash/manifest.mpd"),
    ):
        refused = Client().get(f"/protected/{path}?t={token}")
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "bad_signature"), path


def test_media_tokens_refuse_tampering_expiry_and_other_sessions_scopes(started, film):
    client, session = started
    media = transcoding_selectors.film_media(film_id=film.pk)
    sd = _rendition(film, 360)
    folder = media.folder(sd, "hls")
    name = f"seg_{sd.representation_id}_00001.m4s"
    token = signing.media_token(folder, session_id=session["id"], expires=int(time.time()) + 60)
    assert Client().get(f"/protected/{folder}/{name}?t={token}").status_code == 200
    expires, sid, mac = token.split(".")
    for bad in (
        f"{expires}.{sid}.{mac[:-2]}{'AA' if mac[-2:] != 'AA' else 'BB'}",  # tampered signature
        f"{int(expires) + 3600}.{sid}.{mac}",  # a later expiry
        f"{expires}.{'0' * 32}.{mac}",  # another session
        "",
        "garbage",
    ):
        answer = Client().get(f"/protected/{folder}/{name}?t={bad}")
        assert (answer.status_code, answer.json()["error"]["code"]) == (403, "bad_signature"), bad
    expired = signing.media_token(folder, session_id=session["id"], expires=int(time.time()) - 1)
    answer = Client().get(f"/protected/{folder}/{name}?t={expired}")
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "expired_signature")


def test_x_accel_redirect_hands_the_file_to_nginx(started, film, settings):
    settings.PLAYBACK_SENDFILE = "x-accel"
    client, session = started
    media = transcoding_selectors.film_media(film_id=film.pk)
    folder = media.folder(_rendition(film, 360), "hls")
    token = signing.media_token(folder, session_id=session["id"], expires=int(time.time()) + 60)
    name = f"{folder}/seg_{_rendition(film, 360).representation_id}_00001.m4s"
    answer = Client().get(f"/protected/{name}?t={token}")
    assert answer.status_code == 200 and answer["X-Accel-Redirect"] == f"/_protected/{name}"
    assert answer.content == b""


def test_manifests_refuse_a_forged_token_and_an_ended_session(started, film):
    client, session = started
    assert Client().get(f"/api/streams/{film.pk}/manifest?protocol=hls&st=forged").status_code == 403
    other_film = session["manifests"]["hls"].replace(f"/streams/{film.pk}/", f"/streams/{film.pk + 1}/")
    assert Client().get(other_film).status_code == 403
    client.post(session["stop_url"], {"position": 1.0}, format="json")
    answer = Client().get(session["manifests"]["hls"])
    assert (answer.status_code, answer.json()["error"]["code"]) == (410, "session_ended")


@contextlib.contextmanager
def _later(seconds):
    """Every clock the tokens read (media tokens: time.time; DRM and stream tokens: django.core.signing) moved on."""
    from django.core import signing as django_signing

    real_time = time.time
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: real_time() + seconds)
        patch.setattr(django_signing.time, "time", lambda: real_time() + seconds)
        yield


def test_media_tokens_are_short_lived_renewed_by_heartbeats_and_die_with_the_stopped_session(started, film, settings):
    client, session = started
    settings.PLAYBACK_MEDIA_TOKEN_SECONDS = 120
    tokens = session["tokens"]
    media = transcoding_selectors.film_media(film_id=film.pk)
    sd = _rendition(film, 360)
    scope = f"/protected/{media.folder(sd, 'hls')}/"
    segment = f"{scope}seg_{sd.representation_id}_00001.m4s"
    assert int(tokens["media"][scope].split(".")[0]) - time.time() <= 300 + 1  # minutes, not the session's 4 hours
    assert Client().get(f"{segment}?t={tokens['media'][scope]}").status_code == 200

    beat = client.post(session["heartbeat_url"], {"position": 1.0}, format="json").json()
    assert beat["action"] == "continue" and set(beat["tokens"]["media"]) == set(tokens["media"])
    renewed = beat["tokens"]["media"][scope]
    assert 118 <= int(renewed.split(".")[0]) - time.time() <= 120
    assert Client().get(f"{segment}?t={renewed}").status_code == 200

    client.post(session["stop_url"], {"position": 2.0}, format="json")
    # stopped: nothing renews any more, and what the player holds stops working within the token's lifetime
    assert client.post(session["heartbeat_url"], {"position": 3.0}, format="json").status_code == 410
    assert Client().get(session["manifests"]["hls"]).status_code == 410
    with _later(121):
        answer = Client().get(f"{segment}?t={renewed}")
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "expired_signature")


def test_the_heartbeat_renews_tokens_only_for_the_plans_renditions(started, film):
    client, session = started
    PlaybackSession.objects.update(top_height=360)
    media = transcoding_selectors.film_media(film_id=film.pk)
    beat = client.post(session["heartbeat_url"], {"position": 1.0}, format="json").json()
    allowed = [r for r in media.renditions if r.kind == "audio" or r.rung <= 360]
    expected = {f"/protected/{media.folder(r, p)}/" for r in allowed for p in ("hls", "dash")}
    assert set(beat["tokens"]["media"]) == expected | {f"/protected/{media.path('sprites')}/"}


def test_manifests_and_playlists_are_refused_once_the_subscription_lapses(started, film):
    client, session = started
    assert Client().get(session["manifests"]["hls"]).status_code == 200
    apps.get_model("billing", "Subscription").objects.update(
        status="cancelled", current_period_end=timezone.now() - timedelta(days=30)
    )
    for url in (session["manifests"]["hls"], session["manifests"]["dash"], session["thumbnails_vtt"]):
        answer = Client().get(url)
        assert (answer.status_code, answer.json()["error"]["code"]) == (402, "no_entitlement"), url
    answer, _ = _playlist(session, film, 360)
    assert (answer.status_code, answer.json()["error"]["code"]) == (402, "no_entitlement")
    # the next heartbeat ends the session and renews nothing
    beat = client.post(session["heartbeat_url"], {"position": 1.0}, format="json").json()
    assert (beat["action"], beat["code"]) == ("stop", "no_entitlement") and "tokens" not in beat
    row = PlaybackSession.objects.get(pk=session["id"])
    assert row.ended_at is not None and row.end_reason == "entitlement_ended"
    assert client.post(session["heartbeat_url"], {"position": 2.0}, format="json").status_code == 410


def _drm_token(client, session, film):
    answer = client.get(session["drm"]["token_url"])
    assert answer.status_code == 200, answer.json()
    return answer.json()["token"]


def test_a_360p_plan_gets_the_sd_key_only_and_the_sd_key_does_not_decrypt_hd(started, film):
    client, session = started
    PlaybackSession.objects.update(top_height=360)
    media = transcoding_selectors.film_media(film_id=film.pk)
    hd, sd = _rendition(film, 720), _rendition(film, 360)
    assert hd.key_id != sd.key_id
    token = _drm_token(client, session, film)
    sd_key = Client().get(f"/api/drm/hls-key/{film.pk}?kid={sd.key_id}&t={token}")
    assert sd_key.status_code == 200 and len(sd_key.content) == 16
    refused = Client().get(f"/api/drm/hls-key/{film.pk}?kid={hd.key_id}&t={token}")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "quality_above_plan")
    assert Client().get(f"/api/drm/hls-key/{film.pk}?t={token}").status_code == 400  # which key?

    # the SD key opens an SD segment, and nothing of the HD rung
    storage = storages["protected"]
    sequence = 1
    with storage.open(f"{media.folder(sd, 'hls')}/seg_{sd.representation_id}_00001.m4s") as handle:
        assert _decrypt(handle.read(), sd_key.content, sequence)[4:8] in (b"styp", b"moof")
    with storage.open(f"{media.folder(hd, 'hls')}/seg_{hd.representation_id}_00001.m4s") as handle:
        hd_bytes = handle.read()
    try:
        clear = _decrypt(hd_bytes, sd_key.content, sequence)
    except ValueError:  # bad padding: the usual outcome of a wrong key
        clear = b""
    assert clear[4:8] not in (b"styp", b"moof")
    hd_key = transcoding_selectors.film_key_by_kid(film_id=film.pk, kid_hex=hd.key_id)
    assert _decrypt(hd_bytes, hd_key.key, sequence)[4:8] in (b"styp", b"moof")


def test_clearkey_releases_only_the_classes_the_plan_allows_to_a_live_session(started, film, make_user, client_for):
    client, session = started
    PlaybackSession.objects.update(top_height=360)
    current = transcoding_selectors.film_keys_current(film_id=film.pk)
    token = _drm_token(client, session, film)
    url = f"{session['drm']['clearkey_license_url']}?t={token}"
    asked = [current[c].kid for c in ("sd", "hd", "uhd", "audio")] + [b"\x00" * 16]
    body = json.dumps({"kids": [_b64(kid) for kid in asked], "type": "temporary"})

    answer = Client().post(url, body, content_type="application/json")

    assert answer.status_code == 200
    assert answer.json() == {
        "keys": [{"kty": "oct", "kid": _b64(current[c].kid), "k": _b64(current[c].key)} for c in ("sd", "audio")],
        "type": "temporary",
    }
    # on the basic plan (720p) the HD key comes too, never the UHD one
    PlaybackSession.objects.update(top_height=720)
    released = {k["kid"] for k in Client().post(url, body, content_type="application/json").json()["keys"]}
    assert released == {_b64(current[c].kid) for c in ("sd", "hd", "audio")}
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
    kid = _rendition(film, 360).key_id
    assert Client().get(f"/api/drm/hls-key/{film.pk}?kid={kid}").status_code == 403
    token = _drm_token(client, session, film)
    settings.PLAYBACK_DRM_TOKEN_SECONDS = 10
    with _later(60):
        answer = Client().get(f"/api/drm/hls-key/{film.pk}?kid={kid}&t={token}")
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "expired_signature")
    # access ends (the subscription lapses): no key, with the refusal's code
    apps.get_model("billing", "Subscription").objects.update(
        status="cancelled", current_period_end=timezone.now() - timedelta(days=30)
    )
    answer = Client().get(f"/api/drm/hls-key/{film.pk}?kid={kid}&t={token}")
    assert (answer.status_code, answer.json()["error"]["code"]) == (402, "no_entitlement")


def test_a_rendition_whose_stored_key_id_drifted_is_refused_and_logged(started, film, caplog):
    client, session = started
    media = transcoding_selectors.film_media(film_id=film.pk)
    sd = _rendition(film, 360)
    storage = storages["protected"]
    name = media.hls_playlist(sd)
    with storage.open(name) as handle:
        text = handle.read().decode()
    storage.delete(name)
    storage.save(name, ContentFile(text.replace(sd.key_id, "ab" * 16).encode()))  # media from another key set

    with caplog.at_level(logging.ERROR, logger="playback.manifests"):
        answer, _ = _playlist(session, film, 360)

    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "media_key_mismatch")
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("DRM key mismatch" in message and "ab" * 16 in message for message in logged)
    # a rendition recorded with a key that is not the film's current one is left out of the master and the MPD
    Rendition = apps.get_model("transcoding", "Rendition")  # noqa: N806
    Rendition.objects.filter(pk=_rendition(film, 240).pk).update(key_id="cd" * 16)
    master = Client().get(session["manifests"]["hls"]).content.decode()
    assert f"media_{_rendition(film, 240).representation_id}.m3u8" not in master
    mpd = Client().get(session["manifests"]["dash"]).content.decode()
    assert 'height="240"' not in mpd and 'height="480"' in mpd


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
    current = transcoding_selectors.film_keys_current(film_id=film.pk)
    kids = ",".join(current[c].kid_hex for c in ("audio", "hd", "sd"))  # the basic plan's classes
    assert forwarded["path"] == "/widevine?provider=wans" and forwarded["body"] == challenge
    headers = forwarded["headers"]
    assert (headers["authorization"], headers["x-wans-key-id"], headers["x-wans-session"]) == (
        "Bearer svc-123",
        kids,
        session["id"],
    )
    assert headers["x-wans-max-height"] == "720"
    signed = (
        f"{headers['x-wans-timestamp']}.{kids}.{session['id']}.".encode()
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
    assert "/sprites/" in sprite and "?t=" in sprite and "#xywh=" in sprite
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


def test_system_checks_refuse_token_lifetimes_that_cannot_work(settings):
    from django.core import checks

    assert [e.id for e in checks.run_checks() if e.id.startswith("playback.")] == []
    settings.PLAYBACK_MEDIA_TOKEN_SECONDS = settings.PLAYBACK_HEARTBEAT_SECONDS  # expires before it is renewed
    settings.TRANSCODING_KEY_RETIRED_GRACE_SECONDS = settings.PLAYBACK_DRM_TOKEN_SECONDS
    assert [e.id for e in checks.run_checks() if e.id.startswith("playback.")] == ["playback.E001", "playback.E002"]
