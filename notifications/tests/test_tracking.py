"""Bounces and complaints arrive as the email provider's signed tracking webhooks (django-anymail's, here
Mailgun's JSON format with its HMAC signature and anymail's basic auth) and suppress the address."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.core import mail

from notifications import services
from notifications.models import Notification, Suppression

SIGNING_KEY = "key-mailgun-webhook-signing-test"
BASIC = "wans-anymail:webhook-secret-test"


@pytest.fixture(autouse=True)
def _anymail(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": BASIC, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def _mailgun(event: str, recipient: str, *, message_id="20261120093000.1.ABCDEF@mg.wans.example", key=SIGNING_KEY,
             **extra) -> dict:
    """A Mailgun tracking webhook body as Mailgun posts it (webhooks API, JSON), signed as Mailgun signs."""
    timestamp, token = str(int(time.time())), "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {
            "event": event, "id": "G9Bn5sl1TC6nu79C8C0bwg", "timestamp": time.time(), "log-level": "error",
            "recipient": recipient, "recipient-domain": recipient.split("@")[1],
            "envelope": {"sender": "no-reply@wans.example", "transport": "smtp", "targets": recipient},
            "message": {"headers": {"to": recipient, "message-id": message_id, "from": "WANS <no-reply@wans.example>",
                                    "subject": "Receipt"}, "attachments": [], "size": 2048},
            "tags": [], "user-variables": {}, "campaigns": [],
            **extra,
        },
    }


def _post(client, body: dict, *, auth=BASIC):
    headers = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
    return client.post("/anymail/mailgun/tracking/", data=json.dumps(body), content_type="application/json",
                       **headers)


def test_a_permanent_bounce_suppresses_the_address_and_marks_the_message(client, viewer):
    [email, _in_app] = services.notify(event="welcome", user=viewer, context={"name": "Kila"}, key="again")
    # the message id as anymail reports it, on sending and in the webhook
    Notification.objects.filter(pk=email.pk).update(provider_id="<20261120093000.1.ABCDEF@mg.wans.example>")
    body = _mailgun("failed", viewer.email.upper(), severity="permanent", reason="bounce",
                    **{"delivery-status": {"code": 550, "message": "5.1.1 mailbox does not exist",
                                           "description": "", "attempt-no": 1}})
    assert _post(client, body).status_code == 200
    suppression = Suppression.objects.get()
    assert (suppression.address, suppression.reason, suppression.channel) == (viewer.email, "bounce", "email")
    email.refresh_from_db()
    assert email.status == "dead" and email.last_error.startswith("bounce: Mailgun")


def test_a_complaint_suppresses_the_address_and_later_mail_is_not_sent(client, viewer):
    assert _post(client, _mailgun("complained", viewer.email)).status_code == 200
    assert Suppression.objects.get().reason == "complaint"
    [email, _in_app] = services.notify(event="payment_failed", user=viewer, key="p9", context={
        "reference": "W1", "amount_minor": 100, "currency": "PGK", "item": "Film", "reason": "-"})
    mail.outbox.clear()
    assert services.notification_send(notification_id=email.pk) == "suppressed"
    assert mail.outbox == []


def test_a_temporary_failure_suppresses_nothing(client, viewer):
    body = _mailgun("failed", viewer.email, severity="temporary", reason="generic")
    assert _post(client, body).status_code == 200
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("case", ["bad signature", "no basic auth", "wrong basic auth"])
def test_an_unsigned_or_unauthenticated_webhook_is_refused_and_changes_nothing(client, viewer, case):
    body = _mailgun("complained", viewer.email, key="not-the-key" if case == "bad signature" else SIGNING_KEY)
    auth = {"bad signature": BASIC, "no basic auth": None, "wrong basic auth": "wans-anymail:guess"}[case]
    response = _post(client, body, auth=auth)
    assert response.status_code in (400, 401, 403)
    assert not Suppression.objects.exists()
