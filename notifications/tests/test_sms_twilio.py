"""The Twilio adapter against a local fake of Twilio's Messages API (its form encoding, Basic auth and answers)."""

import base64
import socket
import urllib.parse

import pytest

from notifications.channels.base import ChannelError, Outgoing
from notifications.channels.sms import TwilioSms
from notifications.tests.fakes import FakeTwilio

TOK_PISIN = "WANS: Yu baim pinis K30.00 long Kokoda Dawn. Tenkyu tru! Lukim risit: https://wans.example/r/AB12"


@pytest.fixture
def twilio(settings):
    settings.WANS_SITE_URL = "https://wans.example"
    settings.NOTIFICATIONS_SMS_MAX_SEGMENTS = 3
    settings.NOTIFICATIONS_SMS_TIMEOUT_SECONDS = 2
    with FakeTwilio() as fake:
        settings.NOTIFICATIONS_SMS_TWILIO_BASE_URL = fake.url
        settings.NOTIFICATIONS_SMS_TWILIO_ACCOUNT_SID = fake.ACCOUNT_SID
        settings.NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN = fake.AUTH_TOKEN
        settings.NOTIFICATIONS_SMS_TWILIO_FROM = "+15005550006"
        settings.NOTIFICATIONS_SMS_TWILIO_MESSAGING_SERVICE_SID = ""
        yield fake


def _sms(text: str = TOK_PISIN, to: str = "+67571234567") -> Outgoing:
    return Outgoing(channel="sms", to=to, subject="", text=text, idempotency_key="payment_receipt:42:7:sms")


def test_sends_the_form_twilio_expects_and_reads_its_answer(twilio):
    sent = TwilioSms().send(_sms())
    [request] = twilio.requests
    assert request["path"] == f"/2010-04-01/Accounts/{twilio.ACCOUNT_SID}/Messages.json"
    assert request["headers"]["Authorization"] == "Basic " + base64.b64encode(
        f"{twilio.ACCOUNT_SID}:{twilio.AUTH_TOKEN}".encode()).decode()
    assert request["form"] == {
        "To": "+67571234567", "From": "+15005550006", "Body": TOK_PISIN,
        "StatusCallback": "https://wans.example/notifications/webhooks/sms/twilio",
    }
    assert sent.provider_id.startswith("SM") and len(sent.provider_id) == 34
    assert sent.provider_id in twilio.messages
    assert sent.segments == 1


def test_a_png_number_written_locally_is_sent_in_e164(twilio):
    TwilioSms().send(_sms(to="7123 4567"))
    assert twilio.requests[0]["form"]["To"] == "+67571234567"


def test_a_messaging_service_replaces_from(twilio, settings):
    settings.NOTIFICATIONS_SMS_TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    TwilioSms().send(_sms())
    form = twilio.requests[0]["form"]
    assert form["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in form


def test_segments_are_twilios_count_of_an_emoji_message(twilio):
    sent = TwilioSms().send(_sms(TOK_PISIN + " 🎬"))  # UCS-2 now: 100 units, two segments
    assert sent.segments == 2
    assert twilio.messages[sent.provider_id]["num_segments"] == "2"


def test_over_the_maximum_is_refused_before_any_request(twilio, settings):
    settings.NOTIFICATIONS_SMS_MAX_SEGMENTS = 1
    with pytest.raises(ChannelError) as refused:
        TwilioSms().send(_sms(TOK_PISIN + " " + TOK_PISIN))
    assert (refused.value.retryable, refused.value.gone) == (False, False)
    assert twilio.requests == []


def test_a_number_we_cannot_read_is_refused_before_any_request(twilio):
    with pytest.raises(ChannelError, match="not a Papua New Guinea number") as refused:
        TwilioSms().send(_sms(to="1234"))
    assert refused.value.retryable is False
    assert twilio.requests == []


def test_twilios_invalid_number_is_not_retried(twilio):
    twilio.fail_next(400, {"code": 21211, "message": "The 'To' number +67571234567 is not a valid phone number.",
                           "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})
    with pytest.raises(ChannelError) as refused:
        TwilioSms().send(_sms())
    assert refused.value.retryable is False
    assert "code 21211" in str(refused.value) and "not a valid phone number" in str(refused.value)


def test_a_wrong_auth_token_is_refused_by_the_fake_and_not_retried(twilio, settings):
    settings.NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN = "not-the-token"
    with pytest.raises(ChannelError, match="401, code 20003") as refused:
        TwilioSms().send(_sms())
    assert refused.value.retryable is False


@pytest.mark.parametrize("status", [429, 500, 503])
def test_rate_limits_and_server_errors_are_retried(twilio, status):
    twilio.fail_next(status, {"code": 20429 if status == 429 else 20500, "message": "Try later", "status": status})
    with pytest.raises(ChannelError) as refused:
        TwilioSms().send(_sms())
    assert refused.value.retryable is True
    assert TwilioSms().send(_sms()).provider_id  # the next try goes through


def test_a_timeout_is_retried(twilio, settings):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection (the kernel does) and never answers
    settings.NOTIFICATIONS_SMS_TIMEOUT_SECONDS = 1
    settings.NOTIFICATIONS_SMS_TWILIO_BASE_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"
    try:
        with pytest.raises(ChannelError, match="could not be reached") as refused:
            TwilioSms().send(_sms())
    finally:
        silent.close()
    assert refused.value.retryable is True


def test_a_refused_connection_is_retried(twilio, settings):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    settings.NOTIFICATIONS_SMS_TWILIO_BASE_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(ChannelError) as refused:
        TwilioSms().send(_sms())
    assert refused.value.retryable is True


def test_without_credentials_it_is_off_and_says_which(settings):
    settings.NOTIFICATIONS_SMS_TWILIO_ACCOUNT_SID = ""
    settings.NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN = ""
    settings.NOTIFICATIONS_SMS_TWILIO_FROM = ""
    settings.NOTIFICATIONS_SMS_TWILIO_MESSAGING_SERVICE_SID = ""
    adapter = TwilioSms()
    assert adapter.missing == ["NOTIFICATIONS_SMS_TWILIO_ACCOUNT_SID", "NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN",
                               "NOTIFICATIONS_SMS_TWILIO_FROM or MESSAGING_SERVICE_SID"]
    with pytest.raises(ChannelError, match="Twilio SMS is off") as refused:
        adapter.send(_sms())
    assert refused.value.retryable is False


def test_the_status_callback_the_fake_signs_is_for_the_url_we_gave(twilio):
    sent = TwilioSms().send(_sms())
    url, params, headers = twilio.status_callback(sent.provider_id, "delivered")
    assert url == "https://wans.example/notifications/webhooks/sms/twilio"
    assert (params["MessageSid"], params["MessageStatus"], params["To"]) == (sent.provider_id, "delivered",
                                                                              "+67571234567")
    assert headers["X-Twilio-Signature"] == twilio.signature(url, params)
    assert urllib.parse.urlencode(params)  # form-encodable as Twilio posts it
