"""Web push (RFC 8030) through pywebpush: the payload is encrypted for the browser's subscription keys (aes128gcm,
RFC 8188/8291) and the request carries a VAPID token signed with our key (RFC 8292), so the push service knows who
sends. Transport only: handed an Outgoing whose `push` is the subscription ({endpoint, keys: {p256dh, auth}}), it
answers Sent or raises ChannelError; a subscription the push service no longer knows (404, 410) is `gone`.

The keys come from NOTIFICATIONS_VAPID_PRIVATE_KEY / _PUBLIC_KEY (base64url, `manage.py vapid_keys` makes a pair).
Without them the channel is off: `vapid_problem()` says why, the subscribe button says push is not set up, and a
send is refused (not retryable) with the reason."""

import base64
import binascii
import hashlib
import json
import logging
import time
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from notifications.channels.base import ChannelError, Outgoing, Sent

log = logging.getLogger(__name__)
# A push message is at most 4096 bytes once encrypted: the aes128gcm header (86), the tag (16) and the padding
# delimiter (1) leave 3993 for the JSON.
MAX_PAYLOAD_BYTES = 3993
VAPID_TOKEN_SECONDS = 12 * 60 * 60  # push services refuse a token valid for more than 24 hours


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_b64(key: ec.EllipticCurvePublicKey) -> str:
    """The applicationServerKey form: the uncompressed P-256 point (65 bytes), base64url."""
    return b64url(key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))


def vapid_keys_generate() -> tuple[str, str]:
    """A new (private, public) pair in the settings' form: the private scalar (32 bytes) and the public point."""
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big")), public_key_b64(key.public_key())


def _private_key(text: str) -> ec.EllipticCurvePrivateKey:
    raw = b64url_decode(text.strip())
    if len(raw) != 32:
        raise ValueError(f"the private key is {len(raw)} bytes, not 32")
    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def _vapid() -> tuple[ec.EllipticCurvePrivateKey | None, str]:
    """(our private key, problem): the key when the settings hold a usable pair, else None and what is wrong."""
    private, public = settings.NOTIFICATIONS_VAPID_PRIVATE_KEY, settings.NOTIFICATIONS_VAPID_PUBLIC_KEY
    if not private or not public:
        return None, ("NOTIFICATIONS_VAPID_PRIVATE_KEY and NOTIFICATIONS_VAPID_PUBLIC_KEY are not set "
                      "(manage.py vapid_keys makes a pair)")
    try:
        key = _private_key(private)
    except (ValueError, binascii.Error) as error:
        return None, f"NOTIFICATIONS_VAPID_PRIVATE_KEY is not a base64url P-256 private key ({error})"
    if public_key_b64(key.public_key()) != public.strip().rstrip("="):
        return None, "NOTIFICATIONS_VAPID_PUBLIC_KEY is not the public half of NOTIFICATIONS_VAPID_PRIVATE_KEY"
    if not settings.NOTIFICATIONS_VAPID_SUBJECT.startswith(("mailto:", "https://")):
        return None, "NOTIFICATIONS_VAPID_SUBJECT must be a mailto: or https: URL"
    return key, ""


def vapid_problem() -> str:
    """Why web push is off, or "" when it is on."""
    return _vapid()[1]


def vapid_public_key() -> str:
    """The key browsers subscribe with (applicationServerKey), or "" while web push is off."""
    key, _problem = _vapid()
    return public_key_b64(key.public_key()) if key else ""


def push_payload(message: Outgoing) -> str:
    """The JSON the service worker shows (static/sw.js): {title, body, url, tag}. The tag is the message's
    idempotency key, so a message delivered twice replaces itself on the screen instead of showing twice."""
    body = message.text
    while True:
        payload = json.dumps({"title": message.subject, "body": body, "url": message.url,
                              "tag": message.idempotency_key}, ensure_ascii=False)
        excess = len(payload.encode()) - MAX_PAYLOAD_BYTES
        if excess <= 0 or len(body) <= 1:
            return payload
        body = body[: max(0, len(body) - excess - 3)].rstrip() + "…"  # a character is at least a byte


def _topic(key: str) -> str:
    """RFC 8030 Topic (at most 32 base64url characters): a newer message with the same topic replaces one the push
    service still holds, so a retried send does not queue a second copy."""
    return b64url(hashlib.sha256(key.encode()).digest())[:32]


def _subscription(push: dict | None) -> dict:
    keys = (push or {}).get("keys") or {}
    endpoint = (push or {}).get("endpoint") or ""
    if not endpoint.startswith(("https://", "http://")) or not keys.get("p256dh") or not keys.get("auth"):
        raise ChannelError("the push subscription has no endpoint or keys", retryable=False, gone=True)
    return {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}


class WebPushChannel:
    name = "push"

    def __init__(self) -> None:
        self.key, self.problem = _vapid()
        if self.problem:
            log.warning("web push is off: %s", self.problem)

    def send(self, message: Outgoing) -> Sent:
        if self.key is None:
            raise ChannelError(f"web push is off: {self.problem}", retryable=False)
        subscription = _subscription(message.push)
        endpoint = urlsplit(subscription["endpoint"])
        claims = {
            "sub": settings.NOTIFICATIONS_VAPID_SUBJECT,
            "aud": f"{endpoint.scheme}://{endpoint.netloc}",  # the push service's origin
            "exp": int(time.time()) + VAPID_TOKEN_SECONDS,
        }
        try:
            response = webpush(
                subscription_info=subscription,
                data=push_payload(message),
                vapid_private_key=Vapid(private_key=self.key),
                vapid_claims=claims,
                ttl=settings.NOTIFICATIONS_PUSH_TTL_SECONDS,
                timeout=settings.NOTIFICATIONS_PUSH_TIMEOUT_SECONDS,
                headers={"Urgency": "normal", "Topic": _topic(message.idempotency_key)},
            )
        except WebPushException as error:
            status = error.status_code
            if status is None:  # refused before sending: the subscription's keys are unusable
                raise ChannelError(f"the push subscription is unusable: {error.message}", retryable=False,
                                   gone=True) from error
            detail = f"the push service answered {status}: {(error.response.text or '')[:200]}"
            if status in (404, 410):
                raise ChannelError(detail, retryable=False, gone=True) from error
            raise ChannelError(detail, retryable=status in (408, 429) or status >= 500) from error
        except (ValueError, binascii.Error) as error:  # a p256dh that is not a P-256 point
            raise ChannelError(f"the push subscription's keys are unusable: {error}", retryable=False,
                               gone=True) from error
        except requests.RequestException as error:
            raise ChannelError(f"the push service could not be reached: {error}", retryable=True) from error
        # RFC 8030: 201 Created, Location naming the push message resource.
        return Sent(provider_id=response.headers.get("Location", "")[-200:])
