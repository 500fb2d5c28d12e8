"""The PNG gateway adapter against a local fake of our documented contract (docs/notifications-channels.md)."""

import json

import pytest

from notifications.channels.base import ChannelError, Outgoing
from notifications.channels.sms import PngGatewaySms
from notifications.tests.fakes import FakePngGateway

TOK_PISIN = "WANS: Rental bilong yu long Kokoda Dawn bai pinis long 6 aua. Lukim nau: https://wans.example/f/k"


@pytest.fixture
def gateway(settings):
    settings.WANS_SITE_URL = "https://wans.example"
    settings.NOTIFICATIONS_SMS_MAX_SEGMENTS = 3
    with FakePngGateway() as fake:
        settings.NOTIFICATIONS_SMS_GATEWAY_BASE_URL = fake.url
        settings.NOTIFICATIONS_SMS_GATEWAY_API_KEY = fake.API_KEY
        settings.NOTIFICATIONS_SMS_GATEWAY_SENDER_ID = "WANS"
        settings.NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET = fake.SECRET
        yield fake


def _sms(text: str = TOK_PISIN, to: str = "+67571234567", key: str = "rental_ending:9:7:sms") -> Outgoing:
    return Outgoing(channel="sms", to=to, subject="", text=text, idempotency_key=key)


def test_sends_the_documented_json_with_the_api_key_and_idempotency_key(gateway):
    sent = PngGatewaySms().send(_sms())
    [request] = gateway.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["X-API-Key"] == gateway.API_KEY
    assert request["headers"]["Idempotency-Key"] == "rental_ending:9:7:sms"
    assert request["json"] == {
        "sender_id": "WANS", "msisdn": "67571234567", "message": TOK_PISIN, "data_coding": "gsm7",
        "reference": "rental_ending:9:7:sms",
        "callback_url": "https://wans.example/notifications/webhooks/sms/png_gateway",
    }
    assert sent.provider_id.startswith("pg-") and sent.provider_id in gateway.messages
    assert sent.segments == 1


def test_an_emoji_message_goes_as_ucs2(gateway):
    sent = PngGatewaySms().send(_sms(TOK_PISIN + " 🍿"))
    assert gateway.requests[0]["json"]["data_coding"] == "ucs2"
    assert sent.segments == 2


def test_a_retried_send_answers_the_first_message_not_a_second_sms(gateway):
    first = PngGatewaySms().send(_sms())
    again = PngGatewaySms().send(_sms())
    assert again.provider_id == first.provider_id
    assert len(gateway.messages) == 1


def test_only_png_mobiles(gateway):
    with pytest.raises(ChannelError, match="PNG mobiles only") as refused:
        PngGatewaySms().send(_sms(to="+61412345678"))
    assert refused.value.retryable is False
    with pytest.raises(ChannelError, match="PNG mobiles only"):
        PngGatewaySms().send(_sms(to="321 1234"))  # a fixed line
    assert gateway.requests == []


def test_the_gateways_refusals(gateway, settings):
    gateway.fail_next(400, {"error": {"code": "invalid_msisdn", "message": "msisdn is not in service"}})
    with pytest.raises(ChannelError, match="400, invalid_msisdn") as refused:
        PngGatewaySms().send(_sms())
    assert refused.value.retryable is False
    settings.NOTIFICATIONS_SMS_GATEWAY_API_KEY = "wrong"
    with pytest.raises(ChannelError, match="401, unauthorized") as refused:
        PngGatewaySms().send(_sms())
    assert refused.value.retryable is False


@pytest.mark.parametrize("status", [429, 502])
def test_rate_limits_and_outages_are_retried(gateway, status):
    gateway.fail_next(status, {"error": {"code": "try_later", "message": "busy"}})
    with pytest.raises(ChannelError) as refused:
        PngGatewaySms().send(_sms())
    assert refused.value.retryable is True


def test_an_answer_without_json_is_judged_by_its_status(gateway):
    gateway._failures.append((503, {"Content-Type": "text/html"}, b"<h1>Service Unavailable</h1>"))
    with pytest.raises(ChannelError, match="503 without a JSON body") as refused:
        PngGatewaySms().send(_sms())
    assert refused.value.retryable is True


def test_without_settings_it_is_off_and_says_which(settings):
    settings.NOTIFICATIONS_SMS_GATEWAY_BASE_URL = ""
    settings.NOTIFICATIONS_SMS_GATEWAY_API_KEY = ""
    settings.NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET = ""
    with pytest.raises(ChannelError, match="gateway is off: set NOTIFICATIONS_SMS_GATEWAY_BASE_URL, "
                                            "NOTIFICATIONS_SMS_GATEWAY_API_KEY, NOTIFICATIONS_SMS_GATEWAY_WEBHOOK"):
        PngGatewaySms().send(_sms())


def test_the_receipt_the_fake_signs_names_our_reference(gateway):
    sent = PngGatewaySms().send(_sms())
    url, body, headers = gateway.receipt(sent.provider_id, "delivered")
    assert url == "https://wans.example/notifications/webhooks/sms/png_gateway"
    receipt = json.loads(body)
    assert (receipt["message_id"], receipt["reference"], receipt["status"]) == (sent.provider_id,
                                                                                "rental_ending:9:7:sms", "delivered")
    assert headers["X-Gateway-Signature"].startswith("t=")
