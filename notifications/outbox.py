"""Sending the outbox: claim a row with one conditional UPDATE (so a duplicated or retried task never sends twice),
hand it to its channel's adapter, and record the outcome under the claim; retry with backoff on a retryable provider
error; after NOTIFICATIONS_MAX_ATTEMPTS the row is dead (the admin lists dead letters with their error). The beat
sweep sends what was never enqueued (a crash between commit and enqueue) and takes back rows a dead worker held."""

import logging
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from notifications import events, registry, selectors
from notifications.channels.base import ChannelError, Outgoing, Sent
from notifications.models import Channel, Notification, PushSubscription
from notifications.rendering import absolute
from notifications.tokens import unsubscribe_token

log = logging.getLogger(__name__)
S = Notification.Status
SENDABLE = (S.QUEUED, S.DELAYED, S.FAILED)
SEND_TASK = "notifications.send"  # tasks.py, named: tasks.py imports the services
COUNTDOWN_MAX = 120  # longer waits are left to the sweep (a countdown is held unacknowledged by a worker)


def enqueue(notification_id: int, *, countdown: int | None = None) -> None:
    current_app.signature(SEND_TASK, args=[notification_id]).apply_async(countdown=countdown)


def retry_backoff_seconds(attempts: int) -> int:
    """30 s, 1, 2, 4 ... minutes, at most an hour."""
    return min(30 * 2 ** max(0, attempts - 1), 3600)


def unsubscribe_url(*, user_id: int, category: str, channel: str) -> str:
    token = unsubscribe_token(user_id=user_id, category=category, channel=channel)
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))


def email_headers(row: Notification) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe on everything that is not transactional (and RFC 2369's mailto if set)."""
    if events.is_transactional(row.category):
        return {}
    links = [f"<{unsubscribe_url(user_id=row.user_id, category=row.category, channel=Channel.EMAIL)}>"]
    if settings.NOTIFICATIONS_UNSUBSCRIBE_MAILTO:
        token = unsubscribe_token(user_id=row.user_id, category=row.category, channel=Channel.EMAIL)
        links.append(f"<mailto:{settings.NOTIFICATIONS_UNSUBSCRIBE_MAILTO}?subject=unsubscribe%20{token}>")
    return {"List-Unsubscribe": ", ".join(links), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


class _Unreachable(Exception):
    """Nowhere to send it any more (no phone, no push subscription, a suppressed address): the row is suppressed."""


def _outgoing(row: Notification, *, to: str, headers: dict | None = None, push: dict | None = None) -> Outgoing:
    return Outgoing(
        channel=row.channel, to=to, subject=row.subject, text=row.text, html=row.html, url=row.url,
        idempotency_key=f"{row.key}:{row.user_id}:{row.channel}", headers=headers or {}, push=push,
    )


def _push(row: Notification, adapter) -> Sent:
    """Every browser the person subscribed. One accepting is delivery; a subscription the service says is gone is
    dropped; if none accepted and one failed for a retryable reason, the row is retried (to all again)."""
    subscriptions = list(selectors.push_subscriptions_for(user=row.user))
    if not subscriptions:
        raise _Unreachable("no push subscription")
    accepted, retryable = [], None
    for subscription in subscriptions:
        message = _outgoing(row, to=str(subscription.pk), push={
            "endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}})
        try:
            accepted.append(adapter.send(message).provider_id or str(subscription.pk))
        except ChannelError as error:
            if error.gone:
                PushSubscription.objects.filter(pk=subscription.pk).delete()
            elif error.retryable:
                retryable = error
    if accepted:
        return Sent(provider_id=",".join(accepted)[:200])
    if retryable is not None:
        raise retryable
    raise _Unreachable("every push subscription is gone")


def _deliver(row: Notification) -> Sent:
    adapter = registry.adapter_for(row.channel)
    if adapter is None:
        raise ChannelError(f"no adapter is configured for {row.channel} (NOTIFICATIONS_CHANNELS)", retryable=False)
    if row.channel == Channel.EMAIL:
        if not row.user.email or selectors.suppressed(channel=Channel.EMAIL, address=row.user.email):
            raise _Unreachable("the address is suppressed")
        return adapter.send(_outgoing(row, to=row.user.email, headers=email_headers(row)))
    if row.channel == Channel.SMS:
        phone = selectors.delivery_for(user=row.user).phone
        if not phone or selectors.suppressed(channel=Channel.SMS, address=phone):
            raise _Unreachable("no phone number, or it is suppressed")
        return adapter.send(_outgoing(row, to=phone))
    if row.channel == Channel.PUSH:
        return _push(row, adapter)
    raise ChannelError(f"{row.channel} is not sent by a worker", retryable=False)


def _finish(row: Notification, **fields) -> bool:
    """Write the outcome only while this worker's claim stands (the sweep may have taken the row back)."""
    return bool(Notification.objects.filter(pk=row.pk, status=S.SENDING, claimed_at=row.claimed_at).update(**fields))


def _failed(row: Notification, error: ChannelError, now: datetime) -> str:
    message = str(error)[:2000]
    if error.retryable and row.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        backoff = retry_backoff_seconds(row.attempts)
        due = now + timedelta(seconds=backoff)
        if _finish(row, status=S.FAILED, last_error=message, next_attempt_at=due) and backoff <= COUNTDOWN_MAX:
            enqueue(row.pk, countdown=backoff)
        return "retrying"
    _finish(row, status=S.DEAD, last_error=message, next_attempt_at=None)
    return "dead"


def notification_send(*, notification_id: int) -> str:
    """Send one outbox row if it is due and nobody else holds it. Returns sent, retrying, dead, suppressed or
    skipped (not due, already sent or being sent: a duplicate task)."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, status__in=SENDABLE).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ).update(status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    row = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        sent = _deliver(row)
    except _Unreachable as unreachable:
        _finish(row, status=S.SUPPRESSED, last_error=str(unreachable), next_attempt_at=None)
        return "suppressed"
    except ChannelError as error:
        return _failed(row, error, now)
    except Exception as error:  # a bug or an unexpected library error: retried like a provider error, and logged
        log.exception("notification %s failed unexpectedly", row.pk)
        return _failed(row, ChannelError(f"{type(error).__name__}: {error}", retryable=True), now)
    _finish(row, status=S.SENT, sent_at=timezone.now(), provider_id=(sent.provider_id or "")[:200], last_error="",
            next_attempt_at=None)
    return "sent"


def outbox_sweep(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Beat: rows whose worker stopped mid-send go back for a retry (or die after the last attempt); queued rows
    still unsent a grace period after they were due (their on-commit enqueue was lost), and delayed or failed rows
    now due, are enqueued. Claiming is conditional, so enqueuing a row twice sends it once."""
    now = now or timezone.now()
    counts = {"recovered": 0, "enqueued": 0}
    stale = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS)
    for row in Notification.objects.filter(status=S.SENDING, claimed_at__lt=stale)[:limit]:
        dead = row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
        if _finish(row, status=S.DEAD if dead else S.FAILED, next_attempt_at=None if dead else now,
                   last_error="The worker stopped while sending; it may or may not have gone out."):
            counts["recovered"] += 1
    grace = now - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS)
    due = Notification.objects.filter(
        Q(status=S.QUEUED, next_attempt_at__lte=grace) | Q(status__in=[S.DELAYED, S.FAILED], next_attempt_at__lte=now)
    ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    for notification_id in list(due):
        enqueue(notification_id)
        counts["enqueued"] += 1
    return counts


def notification_retry(*, notification_id: int) -> bool:
    """Staff send a dead or failed row again (the admin's action): attempts start over."""
    changed = Notification.objects.filter(pk=notification_id, status__in=[S.DEAD, S.FAILED]).update(
        status=S.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error="")
    if changed:
        enqueue(notification_id)
    return bool(changed)
