"""Signed URLs for protected media, and the tokens that bind manifests and keys to a session.

Media URLs: `/protected/<expires>/<depth>/<signature>/<path>`. The signature is HMAC-SHA256 (key
PLAYBACK_SIGNING_KEY), base64url without padding, over `"<expires>:<prefix>"` where the prefix is the first `depth`
components of the path followed by "/". One signature covers a folder (a rendition set), so a manifest can name its
segments relative to a base URL (DASH BaseURL + SegmentTemplate) and each request is checked with no database query
— by Django here, or by an edge function or nginx njs at the CDN with the same key (docs/playback.md)."""

import base64
import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing

from playback.errors import BadSignature

PROTECTED_ROOT = "/protected"


def _key() -> bytes:
    return (settings.PLAYBACK_SIGNING_KEY or f"playback:{settings.SECRET_KEY}").encode()


def _mac(expires: int, prefix: str) -> str:
    digest = hmac.new(_key(), f"{expires}:{prefix}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signed_base(prefix: str, *, expires: int) -> str:
    """The signed base URL (ending in "/") under which every file of the storage folder `prefix` may be fetched."""
    prefix = prefix.strip("/")
    depth = len(prefix.split("/"))
    return f"{PROTECTED_ROOT}/{expires}/{depth}/{_mac(expires, prefix + '/')}/{prefix}/"


def signed_url(path: str, *, expires: int) -> str:
    folder, _, name = path.strip("/").rpartition("/")
    return signed_base(folder, expires=expires) + name


def verify(*, expires: str, depth: str, signature: str, path: str, now: float | None = None) -> str:
    """The storage name when the signature holds and has not expired; BadSignature otherwise. No database."""
    try:
        expires_at, depth_n = int(expires), int(depth)
    except ValueError:
        raise BadSignature() from None
    parts = path.split("/")
    if depth_n < 1 or len(parts) <= depth_n or any(p in ("", ".", "..") for p in parts):
        raise BadSignature()
    if not hmac.compare_digest(_mac(expires_at, "/".join(parts[:depth_n]) + "/"), signature):
        raise BadSignature()
    if expires_at < (now if now is not None else time.time()):
        raise BadSignature("This link has expired.", code="expired_signature")
    return path


# --- session-bound tokens (django.core.signing: HMAC-SHA256 with a salt, timestamped) -----------------------------

STREAM_SALT = "playback.stream"
DRM_SALT = "playback.drm"


def stream_token(*, session_id: str, film_id: int) -> str:
    """Carried by the manifest URLs of one session (they are fetched by the player without credentials)."""
    return signing.dumps({"s": session_id, "f": film_id}, salt=STREAM_SALT, key=_key().decode(), compress=False)


def drm_token(*, session_id: str, film_id: int) -> str:
    """Short-lived (PLAYBACK_DRM_TOKEN_SECONDS), bound to the session: the HLS key URI and the license endpoints."""
    return signing.dumps({"s": session_id, "f": film_id}, salt=DRM_SALT, key=_key().decode(), compress=False)


def _open(token: str, *, salt: str, max_age: int, film_id: int) -> str:
    try:
        data = signing.loads(token or "", salt=salt, key=_key().decode(), max_age=max_age)
    except signing.SignatureExpired:
        raise BadSignature("This token has expired.", code="expired_signature") from None
    except signing.BadSignature:
        raise BadSignature() from None
    if data.get("f") != film_id:
        raise BadSignature("This token is for another film.")
    return data["s"]


def stream_token_open(token: str, *, film_id: int) -> str:
    return _open(token, salt=STREAM_SALT, max_age=settings.PLAYBACK_SESSION_HOURS * 3600, film_id=film_id)


def drm_token_open(token: str, *, film_id: int) -> str:
    return _open(token, salt=DRM_SALT, max_age=settings.PLAYBACK_DRM_TOKEN_SECONDS, film_id=film_id)
