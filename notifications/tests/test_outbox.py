"""The outbox: rows written in the event's transaction and sent after commit, once; retries with backoff; dead
letters; the sweep that sends what a crash left unsent; channels without an adapter."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import outbox, services
from notifications.channels.base import ChannelError
from notifications.models import Notification, PushSubscription
from notifications.tests import adapters
from notifications.tests.helpers import rows

S = Notification.Status
RECEIPT = {"reference": "WABC234567", "amount_minor": 1500, "currency": "PGK", "item": "Rent River",
           "paid_at": timezone.now(), "payment_public_id": "6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f",
           "provider": "Sandbox"}
FAILED = {"reference": "WABC234567", "amount_minor": 2500, "currency": "PGK", "item": "Standard, monthly",
          "reason": "Declined."}


def test_notify_writes_rows_in_the_transaction_and_sends_them_after_commit(viewer, reachable,
                                                                           django_capture_on_commit_callbacks):
    reachable(viewer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        made = services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
        assert {row.channel: row.status for row in made} == {"email": S.QUEUED, "sms": S.QUEUED,
                                                              "push": S.QUEUED, "in_app": S.SENT}
        assert mail.outbox == []  # nothing leaves before commit
    assert len(callbacks) == 1
    assert rows(viewer, event="payment_failed") == {("payment_failed", c): S.SENT
                                                    for c in ("email", "sms", "push", "in_app")}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [viewer.email]
    assert sorted(m.channel for m in adapters.SENT) == ["push", "sms"]
    sms = next(m for m in adapters.SENT if m.channel == "sms")
    assert sms.to == "+67571234567" and sms.text.startswith("Payment of PGK 25.00 for Standard, monthly failed.")
    push = next(m for m in adapters.SENT if m.channel == "push")
    assert push.push == {"endpoint": f"https://push.example.test/sub/{viewer.pk}",
                         "keys": {"p256dh": "BPublicKeyOfTheBrowser", "auth": "authsecret"}}


def test_a_rolled_back_event_leaves_no_row_and_sends_nothing(viewer, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError), \
            transaction.atomic():
        services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
        raise RuntimeError("the payment's transaction failed")
    assert callbacks == []
    assert rows(viewer, event="payment_failed") == {}
    assert mail.outbox == []


def test_the_same_event_raised_twice_makes_one_row_per_channel(viewer, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
        again = services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
    assert [row.channel for row in first] == ["email", "in_app"]  # no phone, no push subscription
    assert again == []
    assert Notification.objects.filter(user=viewer, event="payment_failed").count() == 2
    assert len(mail.outbox) == 1


def test_a_duplicated_task_sends_once(viewer):
    [email, _in_app] = services.notify(event="payment_receipt", user=viewer, context=RECEIPT, key="p1")
    mail.outbox.clear()
    assert services.notification_send(notification_id=email.pk) == "sent"
    assert services.notification_send(notification_id=email.pk) == "skipped"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (S.SENT, 1)


def test_a_row_held_by_another_worker_is_not_sent(viewer):
    [email, _in_app] = services.notify(event="payment_receipt", user=viewer, context=RECEIPT, key="p1")
    Notification.objects.filter(pk=email.pk).update(status=S.SENDING, claimed_at=timezone.now())
    mail.outbox.clear()
    assert services.notification_send(notification_id=email.pk) == "skipped"
    assert mail.outbox == []


def test_retryable_errors_back_off_then_the_row_is_dead_with_its_error(viewer, reachable, settings, channels):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    reachable(viewer, push=False)
    made = services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
    sms = next(row for row in made if row.channel == "sms")
    channels.FAIL["sms"] = ChannelError("gateway answered 503", retryable=True)
    before = timezone.now()
    assert services.notification_send(notification_id=sms.pk) == "retrying"
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.last_error) == (S.FAILED, 1, "gateway answered 503")
    assert before + timedelta(seconds=30) <= sms.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    assert services.notification_send(notification_id=sms.pk) == "skipped"  # not due yet
    for attempt, backoff in ((2, 60), (3, None)):
        Notification.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
        services.notification_send(notification_id=sms.pk)
        sms.refresh_from_db()
        assert sms.attempts == attempt
        if backoff:
            assert sms.status == S.FAILED
            assert sms.next_attempt_at >= timezone.now() + timedelta(seconds=backoff - 5)
    assert (sms.status, sms.next_attempt_at, sms.last_error) == (S.DEAD, None, "gateway answered 503")
    assert adapters.SENT == []


def test_a_retry_that_works_sends_once(viewer, reachable, channels):
    reachable(viewer, push=False)
    sms = next(r for r in services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
               if r.channel == "sms")
    channels.FAIL["sms"] = ChannelError("timeout", retryable=True)
    services.notification_send(notification_id=sms.pk)
    channels.FAIL["sms"] = None
    Notification.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
    assert services.notification_send(notification_id=sms.pk) == "sent"
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.last_error, sms.provider_id) == (S.SENT, 2, "", "sms-1")
    assert len(adapters.SENT) == 1


def test_a_refused_message_is_dead_at_once(viewer, reachable, channels):
    reachable(viewer, push=False)
    sms = next(r for r in services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
               if r.channel == "sms")
    channels.FAIL["sms"] = ChannelError("not a mobile number", retryable=False)
    assert services.notification_send(notification_id=sms.pk) == "dead"
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.last_error) == (S.DEAD, 1, "not a mobile number")


def test_a_gone_push_subscription_is_dropped(viewer, reachable, channels):
    reachable(viewer, phone="")
    push = next(r for r in services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
                if r.channel == "push")
    channels.FAIL["push"] = ChannelError("410 Gone", retryable=False, gone=True)
    assert services.notification_send(notification_id=push.pk) == "suppressed"
    assert not PushSubscription.objects.filter(user=viewer).exists()
    push.refresh_from_db()
    assert (push.status, push.last_error) == (S.SUPPRESSED, "every push subscription is gone")


def test_crash_between_commit_and_enqueue_loses_nothing(viewer, monkeypatch, django_capture_on_commit_callbacks):
    """The row commits with the event; the on-commit enqueue is lost (the process died): the beat's sweep sends it
    once its grace period has passed, and a second sweep sends nothing more."""
    Notification.objects.filter(user=viewer, event="welcome").delete()  # its account's commit was never run either
    mail.outbox.clear()
    monkeypatch.setattr(outbox, "enqueue", lambda *args, **kwargs: None)
    monkeypatch.setattr(services, "enqueue", lambda *args, **kwargs: None)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(event="payment_receipt", user=viewer, context=RECEIPT, key="p1")
    email = Notification.objects.get(user=viewer, channel="email", event="payment_receipt")
    assert (email.status, mail.outbox) == (S.QUEUED, [])
    monkeypatch.undo()
    assert services.outbox_sweep() == {"recovered": 0, "enqueued": 0}  # within the grace period: the enqueue may come
    later = timezone.now() + timedelta(seconds=61)
    assert services.outbox_sweep(now=later) == {"recovered": 0, "enqueued": 1}
    email.refresh_from_db()
    assert (email.status, email.attempts, len(mail.outbox)) == (S.SENT, 1, 1)
    assert services.outbox_sweep(now=later) == {"recovered": 0, "enqueued": 0}
    assert len(mail.outbox) == 1


def test_a_worker_that_died_while_sending_is_taken_back_by_the_sweep(viewer):
    Notification.objects.filter(user=viewer, event="welcome").delete()
    [email, _in_app] = services.notify(event="payment_receipt", user=viewer, context=RECEIPT, key="p1")
    long_ago = timezone.now() - timedelta(minutes=10)
    Notification.objects.filter(pk=email.pk).update(status=S.SENDING, claimed_at=long_ago, attempts=1)
    mail.outbox.clear()
    assert services.outbox_sweep() == {"recovered": 1, "enqueued": 1}
    email.refresh_from_db()
    assert (email.status, email.attempts, len(mail.outbox)) == (S.SENT, 2, 1)


def test_a_channel_without_an_adapter_gets_no_rows(viewer, reachable, settings):
    reachable(viewer)
    settings.NOTIFICATIONS_CHANNELS = {"email": "notifications.channels.email.EmailChannel", "sms": "",
                                       "push": "notifications.channels.not_installed.Nothing"}
    made = services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
    assert sorted(row.channel for row in made) == ["email", "in_app"]
    from notifications.registry import unconfigured

    assert unconfigured() == ["push"]


def test_staff_send_a_dead_letter_again(viewer, reachable, channels):
    reachable(viewer, push=False)
    sms = next(r for r in services.notify(event="payment_failed", user=viewer, context=FAILED, key="p1")
               if r.channel == "sms")
    channels.FAIL["sms"] = ChannelError("bad number", retryable=False)
    services.notification_send(notification_id=sms.pk)
    channels.FAIL["sms"] = None
    assert services.notification_retry(notification_id=sms.pk) is True
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, len(adapters.SENT)) == (S.SENT, 1, 1)


def test_an_inactive_person_is_not_told(viewer):
    viewer.is_active = False
    assert services.notify(event="payment_receipt", user=viewer, context=RECEIPT, key="p1") == []


def test_sms_delivery_receipts_move_the_row_forward_only_and_once(viewer):
    row = Notification.objects.create(event="receipt", user=viewer, channel="sms", category="billing", key="r:1",
                                      subject="s", text="t", status="sent", provider_id="SM123")
    assert services.delivery_receipt(provider="twilio", provider_id="SM123", status="sent") == 1
    assert services.delivery_receipt(provider="twilio", provider_id="SM123", status="delivered") == 1
    row.refresh_from_db()
    assert (row.delivery_status, row.delivered_at is not None) == ("delivered", True)
    # late or repeated receipts change nothing; an unknown id or status is acknowledged and ignored
    assert services.delivery_receipt(provider="twilio", provider_id="SM123", status="sent") == 0
    assert services.delivery_receipt(provider="twilio", provider_id="SM123", status="delivered") == 0
    assert services.delivery_receipt(provider="twilio", provider_id="SM999", status="failed") == 0
    assert services.delivery_receipt(provider="twilio", provider_id="SM123", status="exploded") == 0
    row.refresh_from_db()
    assert row.delivery_status == "delivered"
