"""SMS delivery receipts: Twilio's X-Twilio-Signature (checked against Twilio's own published vector) and the PNG
gateway's HMAC-SHA256, parsed into (provider id, status), and the webhook that hands them to the outbox."""

import base64
import hashlib
import hmac
import time

import pytest
from django.http import QueryDict

from notifications import services
from notifications.channels.base import Outgoing
from notifications.channels.sms import PngGatewaySms, TwilioSms
from notifications.channels.sms_receipts import (
    BadSignature,
    InvalidReceipt,
    parse_gateway_receipt,
    parse_twilio_status,
    twilio_signature,
    twilio_signature_valid,
)
from notifications.tests.fakes import FakePngGateway, FakeTwilio

SITE = "https://wans.example"
TWILIO_URL = f"{SITE}/notifications/webhooks/sms/twilio"
GATEWAY_URL = f"{SITE}/notifications/webhooks/sms/png_gateway"

# twilio-ruby's spec/util/request_validator_spec.rb: an inbound SMS signed by Twilio with this token.
TWILIO_VECTOR = {
    "token": "2bd9e9638872de601313dc77410d3b23",
    "url": "http://twiliotests.heroku.com/validate/sms",
    "params": {
        "ToState": "CA", "FromState": "CA", "AccountSid": "ACba8bc05eacf94afdae398e642c9cc32d",
        "SmsMessageSid": "SM2003cbd5e6a3701999aa3e5f20ff2787", "Body": "Orly", "From": "+14159354345",
        "FromCity": "SAN FRANCISCO", "SmsStatus": "received", "FromZip": "94107", "FromCountry": "US",
        "To": "+14158141819", "ToCity": "SAN FRANCISCO", "ToZip": "94105", "ToCountry": "US",
        "ApiVersion": "2010-04-01", "SmsSid": "SM2003cbd5e6a3701999aa3e5f20ff2787",
    },
    "signature": "mxeiv65lEe0b8L6LdVw2jgJi8yw=",
}


def _sms(key="payment_receipt:1:7:sms") -> Outgoing:
    return Outgoing(channel="sms", to="+67571234567", subject="", text="WANS: Yu baim pinis. Tenkyu!",
                    idempotency_key=key)


@pytest.fixture
def twilio(settings):
    settings.WANS_SITE_URL = SITE
    with FakeTwilio() as fake:
        settings.NOTIFICATIONS_SMS_TWILIO_BASE_URL = fake.url
        settings.NOTIFICATIONS_SMS_TWILIO_ACCOUNT_SID = fake.ACCOUNT_SID
        settings.NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN = fake.AUTH_TOKEN
        settings.NOTIFICATIONS_SMS_TWILIO_FROM = "WANS"
        yield fake


@pytest.fixture
def gateway(settings):
    settings.WANS_SITE_URL = SITE
    with FakePngGateway() as fake:
        settings.NOTIFICATIONS_SMS_GATEWAY_BASE_URL = fake.url
        settings.NOTIFICATIONS_SMS_GATEWAY_API_KEY = fake.API_KEY
        settings.NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET = fake.SECRET
        yield fake


@pytest.fixture
def receipts(monkeypatch):
    """services.delivery_receipt is the outbox's (the notify branch); here it records what the webhook hands it."""
    seen = []
    monkeypatch.setattr(services, "delivery_receipt", lambda **kwargs: seen.append(kwargs), raising=False)
    return seen


# --- Twilio's signature ---------------------------------------------------------------------------------------------


def test_twilios_published_signature_vector():
    vector = TWILIO_VECTOR
    assert twilio_signature(auth_token=vector["token"], url=vector["url"], params=vector["params"]) == (
        vector["signature"])
    assert twilio_signature_valid(auth_token=vector["token"], url=vector["url"], params=vector["params"],
                                  signature=vector["signature"])
    tampered = {**vector["params"], "Body": "Orly?"}
    assert not twilio_signature_valid(auth_token=vector["token"], url=vector["url"], params=tampered,
                                      signature=vector["signature"])
    assert not twilio_signature_valid(auth_token="another-token", url=vector["url"], params=vector["params"],
                                      signature=vector["signature"])


def test_the_port_is_checked_both_ways_as_twilio_does():
    vector = TWILIO_VECTOR
    with_port = vector["url"].replace("heroku.com/", "heroku.com:80/")
    assert twilio_signature_valid(auth_token=vector["token"], url=with_port, params=vector["params"],
                                  signature=vector["signature"])
    signed_with_port = twilio_signature(auth_token="t", url="https://wans.example:443/x", params={"A": "1"})
    assert twilio_signature_valid(auth_token="t", url="https://wans.example/x", params={"A": "1"},
                                  signature=signed_with_port)


def test_a_repeated_parameter_signs_each_value_sorted():
    expected = base64.b64encode(hmac.new(b"t", b"https://x/yAaAzB2", hashlib.sha1).digest()).decode()
    assert twilio_signature(auth_token="t", url="https://x/y", params=QueryDict("B=2&A=z&A=a")) == expected


def test_a_status_callback_parses_to_the_message_and_our_status(twilio):
    sid = TwilioSms().send(_sms()).provider_id
    for twilio_status, ours in [("sent", "sent"), ("delivered", "delivered"), ("undelivered", "failed"),
                                ("failed", "failed"), ("queued", "queued")]:
        url, params, headers = twilio.status_callback(sid, twilio_status)
        form = QueryDict(mutable=True)
        form.update(params)
        assert parse_twilio_status(form, url, headers["X-Twilio-Signature"]) == (sid, ours)


def test_a_forged_or_altered_callback_is_refused(twilio):
    sid = TwilioSms().send(_sms()).provider_id
    url, params, headers = twilio.status_callback(sid, "failed", error_code="30003")
    with pytest.raises(BadSignature):
        parse_twilio_status({**params, "MessageStatus": "delivered"}, url, headers["X-Twilio-Signature"])
    with pytest.raises(BadSignature):
        parse_twilio_status(params, url + "?x=1", headers["X-Twilio-Signature"])
    with pytest.raises(BadSignature):
        parse_twilio_status(params, url, "")


def test_a_signed_callback_that_is_not_a_message_status_is_invalid(settings):
    settings.NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN = "token"
    params = {"CallSid": "CA1", "CallStatus": "ringing"}
    signature = twilio_signature(auth_token="token", url=TWILIO_URL, params=params)
    with pytest.raises(InvalidReceipt, match="not a Twilio message status"):
        parse_twilio_status(params, TWILIO_URL, signature)


# --- The gateway's signature ----------------------------------------------------------------------------------------


def test_a_gateway_receipt_parses_to_the_message_and_our_status(gateway):
    message_id = PngGatewaySms().send(_sms()).provider_id
    for raw, ours in [("delivered", "delivered"), ("expired", "failed"), ("rejected", "failed"), ("sent", "sent")]:
        _url, body, headers = gateway.receipt(message_id, raw)
        assert parse_gateway_receipt(body, headers["X-Gateway-Signature"]) == (message_id, ours)


def test_a_forged_altered_or_old_gateway_receipt_is_refused(gateway, settings):
    message_id = PngGatewaySms().send(_sms()).provider_id
    _url, body, headers = gateway.receipt(message_id, "delivered")
    with pytest.raises(BadSignature, match="does not match"):
        parse_gateway_receipt(body.replace(b"delivered", b"failed"), headers["X-Gateway-Signature"])
    _url, old_body, old_headers = gateway.receipt(message_id, "delivered", timestamp=int(time.time()) - 301)
    with pytest.raises(BadSignature, match="old"):
        parse_gateway_receipt(old_body, old_headers["X-Gateway-Signature"])
    with pytest.raises(BadSignature, match="no timestamp"):
        parse_gateway_receipt(body, "v1=abc")
    settings.NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET = "another-secret"
    with pytest.raises(BadSignature):
        parse_gateway_receipt(body, headers["X-Gateway-Signature"])
    settings.NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET = ""
    with pytest.raises(BadSignature, match="not set"):
        parse_gateway_receipt(body, headers["X-Gateway-Signature"])


def test_a_signed_gateway_body_in_another_shape_is_invalid(gateway):
    now = int(time.time())
    for body in (b"[]", b"not json", b'{"message_id": "pg-1", "status": "lost"}', b'{"status": "delivered"}'):
        with pytest.raises(InvalidReceipt):
            parse_gateway_receipt(body, gateway.signature(body, now))


# --- The webhook ------------------------------------------------------------------------------------------------------


def test_the_twilio_webhook_hands_the_receipt_to_the_outbox(client, twilio, receipts):
    sid = TwilioSms().send(_sms()).provider_id
    url, params, headers = twilio.status_callback(sid, "delivered")
    response = client.post(url.removeprefix(SITE), params, headers={"X-Twilio-Signature": headers[
        "X-Twilio-Signature"]})
    assert response.status_code == 204
    assert receipts == [{"provider": "twilio", "provider_id": sid, "status": "delivered"}]


def test_the_webhooks_refuse_a_bad_signature_without_recording(client, twilio, gateway, receipts):
    sid = TwilioSms().send(_sms()).provider_id
    url, params, _headers = twilio.status_callback(sid, "delivered")
    response = client.post(url.removeprefix(SITE), params, headers={"X-Twilio-Signature": "bm9wZQ=="})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "bad_signature"
    message_id = PngGatewaySms().send(_sms()).provider_id
    _url, body, headers = gateway.receipt(message_id, "delivered")
    response = client.post(GATEWAY_URL.removeprefix(SITE), body.replace(b"delivered", b"failed"),
                           content_type="application/json", headers={"X-Gateway-Signature": headers[
                               "X-Gateway-Signature"]})
    assert response.status_code == 403
    assert receipts == []


def test_the_gateway_webhook_answers_400_for_a_signed_body_it_cannot_read(client, gateway, receipts):
    body = b'{"message_id": "pg-1", "status": "lost"}'
    response = client.post(GATEWAY_URL.removeprefix(SITE), body, content_type="application/json",
                           headers={"X-Gateway-Signature": gateway.signature(body, int(time.time()))})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_receipt"
    assert receipts == []


def test_the_webhook_is_post_only_and_knows_its_providers(client, receipts):
    assert client.get(TWILIO_URL.removeprefix(SITE)).status_code == 405
    assert client.post("/notifications/webhooks/sms/nexmo", {}).status_code == 404
    assert receipts == []


@pytest.mark.django_db(transaction=True)
def test_receipts_fired_over_http_at_the_live_server(live_server, settings, receipts):
    """End to end: each adapter sends to its fake with the live server as the callback address; the fake posts the
    signed receipt there, as the provider would."""
    settings.WANS_SITE_URL = live_server.url
    with FakeTwilio() as twilio, FakePngGateway() as gateway:
        settings.NOTIFICATIONS_SMS_TWILIO_BASE_URL = twilio.url
        settings.NOTIFICATIONS_SMS_TWILIO_ACCOUNT_SID = twilio.ACCOUNT_SID
        settings.NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN = twilio.AUTH_TOKEN
        settings.NOTIFICATIONS_SMS_TWILIO_FROM = "WANS"
        settings.NOTIFICATIONS_SMS_GATEWAY_BASE_URL = gateway.url
        settings.NOTIFICATIONS_SMS_GATEWAY_API_KEY = gateway.API_KEY
        settings.NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET = gateway.SECRET
        sid = TwilioSms().send(_sms()).provider_id
        message_id = PngGatewaySms().send(_sms()).provider_id
        assert twilio.fire_status(sid, "sent") == 204
        assert twilio.fire_status(sid, "delivered") == 204
        assert gateway.fire_receipt(message_id, "expired", error_code="EXPIRED") == 204
    assert receipts == [
        {"provider": "twilio", "provider_id": sid, "status": "sent"},
        {"provider": "twilio", "provider_id": sid, "status": "delivered"},
        {"provider": "png_gateway", "provider_id": message_id, "status": "failed"},
    ]
