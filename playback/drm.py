"""Key delivery and license forwarding, for a live session whose access still holds.

* HLS AES-128: the 16-byte key, to the URI in the session's media playlists.
* W3C ClearKey: {"kids": [...]} -> {"keys": [{"kty": "oct", "kid", "k"}]} for the requested key ids that are the
  film's and of a quality class the plan allows (SD / HD / UHD / audio): a 720p plan never receives the UHD key.
* Widevine / FairPlay / PlayReady: the player's license request is forwarded to the configured license service
  (PLAYBACK_LICENSE_SERVICES), with the film's key id and the session's identity in headers and an HMAC signature,
  the way commercial multi-DRM services take it; with none configured, 501."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings

from playback.errors import LicenseServiceFailed, LicenseServiceUnavailable, PlaybackInvalid

SYSTEMS = ("widevine", "fairplay", "playready")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def clearkey_answer(body: bytes, *, key_for, classes: set[str]) -> dict:
    """The W3C ClearKey license for the requested key ids that are this film's (`key_for(kid bytes)`) and of an
    allowed class; other ids get nothing."""
    try:
        request = json.loads(body or b"{}")
        kids = [b64url_decode(kid) for kid in request["kids"]]
    except (ValueError, KeyError, TypeError):
        raise PlaybackInvalid(
            fields={"kids": ['Send {"kids": ["<base64url key id>"], "type": "temporary"}.']}
        ) from None
    keys = []
    for kid in dict.fromkeys(kids[:16]):  # a CDM asks for a handful; more is not a license request
        key = key_for(kid) if len(kid) == 16 else None
        if key is not None and key.key_class in classes:
            keys.append({"kty": "oct", "kid": b64url(key.kid), "k": b64url(key.key)})
    return {"keys": keys, "type": request.get("type", "temporary")}


def license_forward(*, system: str, body: bytes, content_type: str, key_id: str, session, user_id: int):
    """POST the license request to the system's service; returns (status, content type, body) of its answer."""
    service = settings.PLAYBACK_LICENSE_SERVICES.get(system) or {}
    if not service.get("url"):
        raise LicenseServiceUnavailable(
            f"No {system} license service is configured (PLAYBACK_LICENSE_{system.upper()}_URL): this platform "
            "does not issue fake licenses. Play the AES-128 HLS or ClearKey DASH stream instead."
        )
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": content_type or "application/octet-stream",
        "X-WANS-Key-Id": key_id,  # the plan's classes' key ids, comma-separated
        "X-WANS-Session": str(session.pk),
        "X-WANS-User": str(user_id),
        "X-WANS-Film": str(session.film_id),
        "X-WANS-Max-Height": str(session.top_height),
        "X-WANS-Timestamp": timestamp,
    }
    if service.get("auth_header"):
        headers["Authorization"] = service["auth_header"]
    if service.get("secret"):
        signed = f"{timestamp}.{key_id}.{session.pk}.".encode() + hashlib.sha256(body).hexdigest().encode()
        headers["X-WANS-Signature"] = (
            "sha256=" + hmac.new(service["secret"].encode(), signed, hashlib.sha256).hexdigest()
        )
    request = urllib.request.Request(service["url"], data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=service.get("timeout", 10)) as answer:  # noqa: S310
            return answer.status, answer.headers.get("Content-Type", "application/octet-stream"), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", "application/octet-stream"), error.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise LicenseServiceFailed(f"The {system} license service could not be reached: {error}") from None
