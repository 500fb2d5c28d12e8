"""Delivery receipts of the SMS providers: verify the signature, then read (provider message id, status).

Statuses are mapped onto one vocabulary, `DELIVERY_STATUSES`, ranked so that a receipt arriving late (Twilio may
post `sent` after `delivered`) can be recognised as older by whoever stores it (`STATUS_RANK`).

Twilio (https://www.twilio.com/docs/usage/security#validating-requests): `X-Twilio-Signature` is
base64(HMAC-SHA1(auth token, URL + every POST parameter's name and value, sorted by name)), over the full URL
Twilio requested (our StatusCallback). A URL with a port is checked with and without it, as Twilio's own libraries
do, since Twilio does not sign the port consistently. A repeated parameter name contributes each of its values, sorted.

The PNG gateway (our contract, docs/notifications-channels.md): `X-Gateway-Signature: t=<unix>,v1=<hex
HMAC-SHA256(secret, "<t>.<raw body>")>` over a JSON body; older than five minutes is refused as a replay."""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

DELIVERY_STATUSES = ("queued", "sent", "delivered", "failed")
STATUS_RANK = {status: rank for rank, status in enumerate(DELIVERY_STATUSES)}  # failed and delivered are final
TWILIO_STATUSES = {
    "accepted": "queued", "scheduled": "queued", "queued": "queued", "sending": "queued",
    "sent": "sent", "delivered": "delivered", "read": "delivered",
    "undelivered": "failed", "failed": "failed", "canceled": "failed",
}
GATEWAY_STATUSES = {
    "accepted": "queued", "buffered": "queued", "sent": "sent", "delivered": "delivered",
    "failed": "failed", "expired": "failed", "rejected": "failed",
}
GATEWAY_SIGNATURE_HEADER = "X-Gateway-Signature"
GATEWAY_TOLERANCE_SECONDS = 300


class InvalidReceipt(ValueError):
    """Not a receipt in the provider's shape (answer 400)."""


class BadSignature(InvalidReceipt):
    """The signature is missing or wrong: not from the provider (answer 403)."""


# --- Twilio ---------------------------------------------------------------------------------------------------------


def _values(params: Mapping, name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)  # a Django QueryDict holds every value of a repeated name
    values = getlist(name) if getlist is not None else params[name]
    return [str(value) for value in (values if isinstance(values, list | tuple) else [values])]


def twilio_signature(*, auth_token: str, url: str, params: Mapping) -> str:
    """What Twilio puts in X-Twilio-Signature for a POST of `params` to `url`."""
    signed = url + "".join(name + value for name in sorted(set(params)) for value in sorted(_values(params, name)))
    return base64.b64encode(hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()).decode()


def _with_and_without_port(url: str) -> list[str]:
    """The URL with its port (the scheme's default added when it has none) and without any, as Twilio checks."""
    parts = urlsplit(url)
    host = parts.netloc.split(":")[0]
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return [urlunsplit(parts._replace(netloc=f"{host}:{port}")), urlunsplit(parts._replace(netloc=host))]


def twilio_signature_valid(*, auth_token: str, url: str, params: Mapping, signature: str) -> bool:
    if not auth_token or not signature:
        return False
    return any(
        hmac.compare_digest(twilio_signature(auth_token=auth_token, url=candidate, params=params), signature)
        for candidate in _with_and_without_port(url)
    )


def parse_twilio_status(request_params: Mapping, url: str, signature: str) -> tuple[str, str]:
    """(MessageSid, status) of a Twilio status callback POSTed to `url`, after checking its signature with
    NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN. Raises BadSignature, or InvalidReceipt for a body not in Twilio's shape."""
    if not twilio_signature_valid(auth_token=settings.NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN, url=url,
                                  params=request_params, signature=signature or ""):
        raise BadSignature("the X-Twilio-Signature does not match this request")
    sid = request_params.get("MessageSid") or request_params.get("SmsSid")
    raw = request_params.get("MessageStatus") or request_params.get("SmsStatus")
    if not sid or raw not in TWILIO_STATUSES:
        raise InvalidReceipt(f"not a Twilio message status callback (MessageSid {sid!r}, MessageStatus {raw!r})")
    return str(sid), TWILIO_STATUSES[raw]


# --- The PNG gateway ------------------------------------------------------------------------------------------------


def gateway_signature(*, secret: str, body: bytes, timestamp: int) -> str:
    """The X-Gateway-Signature header value for `body` sent at `timestamp` (unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _gateway_signature_check(*, secret: str, body: bytes, header: str, now: float) -> None:
    if not secret:
        raise BadSignature("NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET is not set: no receipt can be trusted")
    fields = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        raise BadSignature(f"{GATEWAY_SIGNATURE_HEADER} has no timestamp") from None
    if abs(now - timestamp) > GATEWAY_TOLERANCE_SECONDS:
        raise BadSignature(f"{GATEWAY_SIGNATURE_HEADER} is more than {GATEWAY_TOLERANCE_SECONDS} s old or ahead")
    expected = gateway_signature(secret=secret, body=body, timestamp=timestamp).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, fields.get("v1", "")):
        raise BadSignature(f"{GATEWAY_SIGNATURE_HEADER} does not match the body")


def parse_gateway_receipt(body: bytes, signature: str, *, now: float | None = None) -> tuple[str, str]:
    """(message_id, status) of the PNG gateway's delivery receipt, after checking its signature with
    NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET. Raises BadSignature or InvalidReceipt."""
    _gateway_signature_check(secret=settings.NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET, body=body,
                             header=signature, now=time.time() if now is None else now)
    try:
        receipt = json.loads(body)
        message_id, raw = receipt["message_id"], receipt["status"]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidReceipt(f"not a gateway delivery receipt ({error})") from error
    if not isinstance(message_id, str) or not message_id or raw not in GATEWAY_STATUSES:
        raise InvalidReceipt(f"not a gateway delivery receipt (message_id {message_id!r}, status {raw!r})")
    return message_id, GATEWAY_STATUSES[raw]
