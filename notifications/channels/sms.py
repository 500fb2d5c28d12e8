"""SMS adapters: Twilio's Messages API (and providers that copy it) and a Papua New Guinea aggregator's HTTP API in
the shape our documented contract fixes (docs/notifications-channels.md). Transport only: they are handed an
Outgoing, check its length and number, call the provider once and answer Sent or raise ChannelError; they never
read or write the outbox. Delivery receipts are parsed in sms_receipts.py.

Refusals the same message would meet again (a bad number, a message over NOTIFICATIONS_SMS_MAX_SEGMENTS, a 4xx)
are not retryable; timeouts, refused connections, 408, 429 and 5xx are."""

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.urls import reverse

from notifications.channels.base import ChannelError, Outgoing, Sent
from notifications.channels.phone import InvalidPhone, is_png_mobile, phone_e164
from notifications.channels.sms_text import GSM7, SmsLength, sms_length

log = logging.getLogger(__name__)
TWILIO = "twilio"
PNG_GATEWAY = "png_gateway"


def sms_check(text: str, *, max_segments: int | None = None) -> SmsLength:
    """The pre-send check (the outbox may call it before writing a row): the message's length, or ChannelError
    (not retryable) if it is empty or longer than `max_segments` (NOTIFICATIONS_SMS_MAX_SEGMENTS)."""
    limit = max_segments or settings.NOTIFICATIONS_SMS_MAX_SEGMENTS
    length = sms_length(text)
    if length.segments == 0:
        raise ChannelError("the SMS is empty", retryable=False)
    if length.segments > limit:
        raise ChannelError(
            f"the SMS is {length.segments} segments ({length.units} {length.encoding} units), over the maximum of "
            f"{limit} (NOTIFICATIONS_SMS_MAX_SEGMENTS); shorten it with sms_text.sms_fit",
            retryable=False,
        )
    return length


def receipt_url(provider: str) -> str:
    """Where the provider reports delivery: the site's address (WANS_SITE_URL), which is also what Twilio signs."""
    return settings.WANS_SITE_URL.rstrip("/") + reverse("notifications-sms-receipt", kwargs={"provider": provider})


def _recipient(to: str) -> str:
    try:
        return phone_e164(to)
    except InvalidPhone as error:
        raise ChannelError(str(error), retryable=False) from error


def _retryable(status: int) -> bool:
    return status in (408, 429) or status >= 500


def _call(provider: str, request: urllib.request.Request, timeout: int) -> tuple[int, dict]:
    """(HTTP status, JSON body) of the provider's answer, whatever the status; ChannelError (retryable) if there is
    no answer at all."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  (scheme checked by caller)
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ChannelError(f"{provider} could not be reached: {error}", retryable=True) from error
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if status >= 300 and not body:
        raise ChannelError(f"{provider} answered {status} without a JSON body", retryable=_retryable(status))
    return status, body


def _http_url(provider: str, base: str, path: str) -> str:
    if not base.startswith(("https://", "http://")):
        raise ChannelError(f"{provider}'s base URL must be http(s): {base!r}", retryable=False)
    return base.rstrip("/") + path


class TwilioSms:
    """`POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded To, From or MessagingServiceSid,
    Body, StatusCallback; HTTP Basic auth AccountSid:AuthToken. 201 answers the message resource (`sid`, `status`,
    `num_segments`); an error answers `{"code", "message", "more_info", "status"}` (21211: not a valid number)."""

    name = "sms"
    provider = TWILIO

    def __init__(self) -> None:
        self.base_url = settings.NOTIFICATIONS_SMS_TWILIO_BASE_URL
        self.account_sid = settings.NOTIFICATIONS_SMS_TWILIO_ACCOUNT_SID
        self.auth_token = settings.NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN
        self.sender = settings.NOTIFICATIONS_SMS_TWILIO_FROM
        self.messaging_service_sid = settings.NOTIFICATIONS_SMS_TWILIO_MESSAGING_SERVICE_SID
        self.timeout = settings.NOTIFICATIONS_SMS_TIMEOUT_SECONDS

    @property
    def missing(self) -> list[str]:
        """The settings still to set before it can send (empty: ready)."""
        missing = [name for name, value in (("ACCOUNT_SID", self.account_sid), ("AUTH_TOKEN", self.auth_token))
                   if not value]
        if not (self.sender or self.messaging_service_sid):
            missing.append("FROM or MESSAGING_SERVICE_SID")
        return [f"NOTIFICATIONS_SMS_TWILIO_{name}" for name in missing]

    def send(self, message: Outgoing) -> Sent:
        if self.missing:
            raise ChannelError(f"Twilio SMS is off: set {', '.join(self.missing)}", retryable=False)
        to = _recipient(message.to)
        length = sms_check(message.text)
        form = {"To": to, "Body": message.text, "StatusCallback": receipt_url(TWILIO)}
        if self.messaging_service_sid:
            form["MessagingServiceSid"] = self.messaging_service_sid
        else:
            form["From"] = self.sender
        url = _http_url("Twilio", self.base_url, f"/2010-04-01/Accounts/{self.account_sid}/Messages.json")
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), method="POST")  # noqa: S310
        request.add_header("Authorization", f"Basic {credentials}")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Accept", "application/json")
        status, body = _call("Twilio", request, self.timeout)
        if status >= 300:
            raise ChannelError(
                f"Twilio refused ({status}, code {body.get('code')}): {body.get('message', '')}"[:500],
                retryable=_retryable(status),
            )
        if not body.get("sid"):
            raise ChannelError(f"Twilio answered {status} without a message sid", retryable=True)
        if body.get("status") == "failed":
            raise ChannelError(f"Twilio failed the message at once: {body.get('error_message') or ''}"[:500],
                               retryable=False)
        return Sent(provider_id=str(body["sid"]), segments=_int(body.get("num_segments")) or length.segments)


class PngGatewaySms:
    """A PNG aggregator's HTTP SMS API (our documented contract: docs/notifications-channels.md):
    `POST {base}/v1/messages`, `X-API-Key`, `Idempotency-Key`, JSON {sender_id, msisdn (675XXXXXXXX), message,
    data_coding (gsm7|ucs2), reference, callback_url} -> 201 {message_id, status, segments}. PNG mobiles only."""

    name = "sms"
    provider = PNG_GATEWAY

    def __init__(self) -> None:
        self.base_url = settings.NOTIFICATIONS_SMS_GATEWAY_BASE_URL
        self.api_key = settings.NOTIFICATIONS_SMS_GATEWAY_API_KEY
        self.sender_id = settings.NOTIFICATIONS_SMS_GATEWAY_SENDER_ID
        self.timeout = settings.NOTIFICATIONS_SMS_TIMEOUT_SECONDS

    @property
    def missing(self) -> list[str]:
        return [f"NOTIFICATIONS_SMS_GATEWAY_{name}" for name, value in (
            ("BASE_URL", self.base_url), ("API_KEY", self.api_key), ("SENDER_ID", self.sender_id),
            ("WEBHOOK_SECRET", settings.NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET)) if not value]

    def send(self, message: Outgoing) -> Sent:
        if self.missing:
            raise ChannelError(f"the PNG SMS gateway is off: set {', '.join(self.missing)}", retryable=False)
        to = _recipient(message.to)
        if not is_png_mobile(to):
            raise ChannelError(f"the PNG gateway sends to PNG mobiles only (+6757XXXXXXX), not {to}", retryable=False)
        length = sms_check(message.text)
        payload = {
            "sender_id": self.sender_id,
            "msisdn": to.removeprefix("+"),
            "message": message.text,
            "data_coding": "gsm7" if length.encoding == GSM7 else "ucs2",
            "reference": message.idempotency_key,
            "callback_url": receipt_url(PNG_GATEWAY),
        }
        url = _http_url("the PNG gateway", self.base_url, "/v1/messages")
        request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST")  # noqa: S310
        request.add_header("X-API-Key", self.api_key)
        request.add_header("Idempotency-Key", message.idempotency_key)  # a retried send answers the first message
        request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json")
        status, body = _call("the PNG gateway", request, self.timeout)
        if status >= 300:
            error = body.get("error") if isinstance(body.get("error"), dict) else {}
            raise ChannelError(
                f"the PNG gateway refused ({status}, {error.get('code', '?')}): {error.get('message', '')}"[:500],
                retryable=_retryable(status),
            )
        if not body.get("message_id"):
            raise ChannelError(f"the PNG gateway answered {status} without a message_id", retryable=True)
        return Sent(provider_id=str(body["message_id"]), segments=_int(body.get("segments")) or length.segments)


def _int(value) -> int | None:
    """Twilio writes num_segments as a string ("2")."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
