"""The web-push adapter against a local push service that checks the VAPID token and decrypts the payload with the
subscription's own keys (RFC 8291), as a browser would."""

import json
import socket

import pytest
from django.core.management import call_command

from notifications.channels.base import ChannelError, Outgoing
from notifications.channels.push import (
    MAX_PAYLOAD_BYTES,
    WebPushChannel,
    vapid_keys_generate,
    vapid_problem,
    vapid_public_key,
)
from notifications.tests.fakes import FakePushService

TITLE = "Rental bilong yu i pinis klostu"
BODY = "Kokoda Dawn: 6 aua i stap yet long lukim 🎬"


@pytest.fixture
def vapid(settings):
    private, public = vapid_keys_generate()
    settings.NOTIFICATIONS_VAPID_PRIVATE_KEY = private
    settings.NOTIFICATIONS_VAPID_PUBLIC_KEY = public
    settings.NOTIFICATIONS_VAPID_SUBJECT = "mailto:ops@wans.example"
    settings.NOTIFICATIONS_PUSH_TTL_SECONDS = 86400
    settings.NOTIFICATIONS_PUSH_TIMEOUT_SECONDS = 2
    return public


@pytest.fixture
def push_service(monkeypatch):
    with FakePushService() as fake:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake.ca_bundle)  # trust its self-signed certificate (requests)
        yield fake


def _push(subscription: dict, *, text: str = BODY, key: str = "rental_ending:9:7:push") -> Outgoing:
    return Outgoing(channel="push", to="12", subject=TITLE, text=text, url="https://wans.example/film/kokoda-dawn/",
                    idempotency_key=key, push=subscription)


def test_the_push_service_decrypts_the_payload_with_the_browsers_keys(vapid, push_service):
    browser = push_service.subscribe(vapid)
    sent = WebPushChannel().send(_push(browser.subscription))
    [delivered] = push_service.delivered
    assert delivered["browser"] is browser
    assert delivered["json"] == {"title": TITLE, "body": BODY, "url": "https://wans.example/film/kokoda-dawn/",
                                 "tag": "rental_ending:9:7:push"}
    assert sent.provider_id == f"{push_service.url}/message/{delivered['id']}"


def test_the_vapid_token_names_the_push_services_origin_and_us(vapid, push_service):
    browser = push_service.subscribe(vapid)
    WebPushChannel().send(_push(browser.subscription))
    [delivered] = push_service.delivered
    claims, headers = delivered["claims"], delivered["headers"]
    assert claims["aud"] == push_service.url
    assert claims["sub"] == "mailto:ops@wans.example"
    assert headers["Authorization"].startswith("vapid t=")
    assert headers["Content-Encoding"] == "aes128gcm"
    assert (headers["TTL"], headers["Urgency"]) == ("86400", "normal")
    assert len(headers["Topic"]) == 32


def test_a_token_from_another_key_is_refused_and_not_retried(vapid, push_service):
    other_key = vapid_keys_generate()[1]
    browser = push_service.subscribe(other_key)  # subscribed with a key the site no longer has
    with pytest.raises(ChannelError) as refused:
        WebPushChannel().send(_push(browser.subscription))
    assert (refused.value.retryable, refused.value.gone) == (False, False)
    assert push_service.refusals == ["k is not the key the subscription was made with"]
    assert push_service.delivered == []


@pytest.mark.parametrize("status", [404, 410])
def test_an_expired_subscription_is_gone(vapid, push_service, status):
    browser = push_service.subscribe(vapid)
    subscription = browser.subscription
    if status == 410:
        browser.gone = True
    else:
        subscription = {**subscription, "endpoint": subscription["endpoint"][:-4] + "0000"}
    with pytest.raises(ChannelError) as refused:
        WebPushChannel().send(_push(subscription))
    assert (refused.value.retryable, refused.value.gone) == (False, True)
    assert f"answered {status}" in str(refused.value)


@pytest.mark.parametrize(("status", "retryable"), [(429, True), (500, True), (503, True), (413, False), (400, False)])
def test_push_service_errors(vapid, push_service, status, retryable):
    browser = push_service.subscribe(vapid)
    push_service.fail_next(status, {"code": status, "message": "no"}, headers={"Retry-After": "30"})
    with pytest.raises(ChannelError) as refused:
        WebPushChannel().send(_push(browser.subscription))
    assert (refused.value.retryable, refused.value.gone) == (retryable, False)


def test_an_unreachable_push_service_is_retried(vapid):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    subscription = {"endpoint": f"https://127.0.0.1:{port}/push/x", "keys": {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg"}}
    with pytest.raises(ChannelError, match="could not be reached") as refused:
        WebPushChannel().send(_push(subscription))
    assert refused.value.retryable is True


@pytest.mark.parametrize("keys", [{"p256dh": "bm90IGEga2V5", "auth": "tBHItJI5svbpez7KI4CCXg"},
                                  {"p256dh": "", "auth": "x"}, {}])
def test_a_subscription_with_unusable_keys_is_gone(vapid, push_service, keys):
    browser = push_service.subscribe(vapid)
    with pytest.raises(ChannelError) as refused:
        WebPushChannel().send(_push({"endpoint": browser.endpoint, "keys": keys}))
    assert (refused.value.retryable, refused.value.gone) == (False, True)
    assert push_service.requests == []


def test_a_long_body_is_shortened_to_what_a_push_message_holds(vapid, push_service):
    browser = push_service.subscribe(vapid)
    long_text = "Tok Pisin em i tokples bilong PNG. " * 200
    WebPushChannel().send(_push(browser.subscription, text=long_text))
    [delivered] = push_service.delivered
    assert len(delivered["payload"]) <= MAX_PAYLOAD_BYTES
    body = delivered["json"]["body"]
    assert body.endswith("…") and long_text.startswith(body[:-1]) and len(body) > 3500


def test_without_keys_web_push_is_off_and_says_so(settings):
    settings.NOTIFICATIONS_VAPID_PRIVATE_KEY = ""
    settings.NOTIFICATIONS_VAPID_PUBLIC_KEY = ""
    assert "are not set" in vapid_problem()
    assert vapid_public_key() == ""
    with pytest.raises(ChannelError, match="web push is off: .*manage.py vapid_keys") as refused:
        WebPushChannel().send(_push({"endpoint": "https://push.example/x", "keys": {"p256dh": "a", "auth": "b"}}))
    assert refused.value.retryable is False


def test_mismatched_or_malformed_keys_are_named(settings, vapid):
    settings.NOTIFICATIONS_VAPID_PUBLIC_KEY = vapid_keys_generate()[1]
    assert vapid_problem() == "NOTIFICATIONS_VAPID_PUBLIC_KEY is not the public half of NOTIFICATIONS_VAPID_PRIVATE_KEY"
    settings.NOTIFICATIONS_VAPID_PRIVATE_KEY = "c2hvcnQ"
    assert vapid_problem().startswith("NOTIFICATIONS_VAPID_PRIVATE_KEY is not a base64url P-256 private key")
    assert vapid_public_key() == ""


def test_the_vapid_keys_command_makes_a_pair_that_sends(settings, push_service, capsys):
    call_command("vapid_keys", "--subject", "mailto:ops@wans.example")
    printed = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert sorted(printed) == ["NOTIFICATIONS_VAPID_PRIVATE_KEY", "NOTIFICATIONS_VAPID_PUBLIC_KEY",
                               "NOTIFICATIONS_VAPID_SUBJECT"]
    for name, value in printed.items():
        setattr(settings, name, value)
    assert vapid_problem() == ""
    call_command("vapid_keys", "--check")
    assert printed["NOTIFICATIONS_VAPID_PUBLIC_KEY"] in capsys.readouterr().out
    browser = push_service.subscribe(printed["NOTIFICATIONS_VAPID_PUBLIC_KEY"])
    WebPushChannel().send(_push(browser.subscription))
    assert json.loads(push_service.delivered[0]["payload"])["title"] == TITLE
