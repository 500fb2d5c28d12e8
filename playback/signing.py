"""Media tokens for protected files, and the tokens that bind manifests and keys to a session.

Media URLs: `/protected/<path>?t=<expires>.<session>.<signature>`. The signature is HMAC-SHA256 (key
PLAYBACK_SIGNING_KEY), base64url without padding, over `"<expires>:<session>:<scope>"`, where the scope is the folder
of the file (`<path>` up to its last "/", with the "/"): one rendition's init and segments, one sprite folder. A
rendition above the plan, the stored master playlist or the MPD (which sit outside every rendition folder) are never
in a token's scope. The token lives PLAYBACK_MEDIA_TOKEN_SECONDS (a few minutes, never past the session's end) and is
renewed through the live session (manifests, heartbeats), so a stopped session's media stops within that time.

The token is in the query string, not the path: an edge (nginx njs, a CDN's token-auth function) checks it with no
database and caches by the path alone, so every viewer shares one cached copy of a segment (docs/playback.md)."""

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from playback.errors import BadSignature

PROTECTED_ROOT = "/protected"


def _key() -> bytes:
    return (settings.PLAYBACK_SIGNING_KEY or f"playback:{settings.SECRET_KEY}").encode()


def _mac(expires: int, session: str, scope: str) -> str:
    digest = hmac.new(_key(), f"{expires}:{session}:{scope}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def media_token(scope: str, *, session_id: str, expires: int) -> str:
    """The token for every file directly in the storage folder `scope` (one rendition, or sprites)."""
    scope = scope.strip("/") + "/"
    session = str(session_id).replace("-", "")
    return f"{expires}.{session}.{_mac(expires, session, scope)}"


def media_url(path: str, *, token: str) -> str:
    return f"{PROTECTED_ROOT}/{path.strip('/')}?t={token}"


def scope_url(scope: str) -> str:
    """The URL prefix of a scope, as the player matches it to apply the newest token."""
    return f"{PROTECTED_ROOT}/{scope.strip('/')}/"


@dataclass(frozen=True)
class MediaGrant:
    """What a valid media token says: the file, the session that holds it (hex, no dashes), until when."""

    path: str
    session: str
    expires: int


def verify(*, path: str, token: str, now: float | None = None) -> MediaGrant:
    """The grant when the token holds for this file's folder and has not expired; BadSignature otherwise. No
    database."""
    parts = path.split("/")
    if len(parts) < 2 or any(p in ("", ".", "..") for p in parts):
        raise BadSignature()
    try:
        expires_text, session, signature = (token or "").split(".")
        expires = int(expires_text)
    except ValueError:
        raise BadSignature() from None
    scope = "/".join(parts[:-1]) + "/"
    if not hmac.compare_digest(_mac(expires, session, scope), signature):
        raise BadSignature()
    if expires < (now if now is not None else time.time()):
        raise BadSignature("This link has expired.", code="expired_signature")
    return MediaGrant(path=path, session=session, expires=expires)


def media_expires(*, session_expires_at, now: float | None = None) -> int:
    """A new media token's expiry: PLAYBACK_MEDIA_TOKEN_SECONDS from now, never past the session's end."""
    now = now if now is not None else time.time()
    return int(min(now + settings.PLAYBACK_MEDIA_TOKEN_SECONDS, session_expires_at.timestamp()))


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
