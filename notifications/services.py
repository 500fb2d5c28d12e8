"""Writes for notifications. The one other apps call is `notify`: inside the transaction of the event it writes one
outbox row per channel the person may be reached on, and sends them once that transaction commits (outbox.py).

Also here: the bell's read state, preferences, delivery settings, one-click unsubscribe, suppression (bounces and
complaints), web-push subscriptions and follows."""

import re
import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import selectors as accounts_selectors
from notifications import events, registry, rendering, selectors
from notifications.channels.sms_receipts import STATUS_RANK
from notifications.errors import CannotFollow, NotificationInvalid, PreferenceLocked
from notifications.models import (
    Category,
    Channel,
    DeliverySettings,
    Follow,
    Notification,
    Preference,
    PushSubscription,
    Suppression,
)
from notifications.outbox import enqueue, notification_retry, notification_send, outbox_sweep, unsubscribe_url
from notifications.quiet import quiet_until
from notifications.tokens import ALL, unsubscribe_read

__all__ = ["notification_retry", "notification_send", "outbox_sweep"]  # sending lives in outbox.py
S = Notification.Status
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


# --- raising an event -----------------------------------------------------------------------------------------------


def _reachable(*, user, channel: str, delivery: selectors.Delivery) -> bool:
    if channel == Channel.EMAIL:
        return bool(user.email)
    if channel == Channel.SMS:
        return bool(delivery.phone)
    if channel == Channel.PUSH:
        return selectors.push_subscriptions_for(user=user).exists()
    return True


def _content(*, event: events.Event, channel: str, user, rendered: rendering.Rendered, language: str) -> dict:
    """What the row holds for its channel: email gets the full text and HTML, SMS and push the short text."""
    if channel == Channel.EMAIL:
        transactional = events.is_transactional(event.category)
        text, html = rendering.email_parts(
            rendered=rendered, language=language,
            unsubscribe_url="" if transactional else unsubscribe_url(
                user_id=user.pk, category=event.category, channel=Channel.EMAIL),
            preferences_url=rendering.absolute(reverse("notifications:settings")),
        )
        return {"subject": rendered.subject, "text": text, "html": html}
    if channel == Channel.SMS:
        text = f"{rendered.short} {rendered.url}"
        if not events.is_transactional(event.category):
            with translation.override(language):
                stop = unsubscribe_url(user_id=user.pk, category=event.category, channel=Channel.SMS)
                text += " " + _("Stop: %(url)s") % {"url": stop}
        return {"subject": rendered.subject, "text": text}
    return {"subject": rendered.subject, "text": rendered.short}


def _schedule(*, event: events.Event, channel: str, user, now: datetime, delivery: selectors.Delivery,
              context: dict) -> tuple[str, datetime | None, str]:
    """(status, due, why) for a new row: in-app is delivered by being written; the daily cap and quiet hours apply
    to interrupting channels and to messages that are not transactional, or not urgent, respectively."""
    if channel == Channel.IN_APP:
        return S.SENT, None, ""
    if not events.is_transactional(event.category):
        sent_today = Notification.objects.filter(
            user=user, channel=channel, created_at__gte=now - timedelta(days=1)
        ).exclude(category__in=events.TRANSACTIONAL).exclude(status=S.SUPPRESSED).count()
        if sent_today >= settings.NOTIFICATIONS_DAILY_CAP:
            return S.SUPPRESSED, None, f"daily cap of {settings.NOTIFICATIONS_DAILY_CAP} reached"
    if not event.urgent:
        until = quiet_until(at=now, start=delivery.quiet_start, end=delivery.quiet_end, time_zone=delivery.time_zone)
        if until is not None:
            stale = context.get(event.stale_after) if event.stale_after else None
            if isinstance(stale, datetime) and stale <= until:
                return S.SUPPRESSED, None, "quiet hours last past the moment it is about"
            return S.DELAYED, until, ""
    return S.QUEUED, now, ""


def notify(*, event: str, user, context: dict, key: str, at: datetime | None = None) -> list[Notification]:
    """Raise `event` for `user`: one outbox row per channel of the event that the person allows (preferences) and
    can be reached on (an address, a phone, a push subscription), in their language. Call it inside the transaction
    that makes the event true: the rows commit or roll back with it, and are sent after commit.

    `key` names the occurrence (a payment's id, a job's id): the same event, key, person and channel make one row
    however often it is raised, so the caller may raise it again freely. `context` holds what the event's template
    needs (notifications.events). Returns the rows written now (none for a repeat)."""
    spec = events.event_get(event)
    if user is None or not user.is_active:
        return []
    now = at or timezone.now()
    full_key = f"{event}:{key}"[:200]
    done = set(Notification.objects.filter(user=user, key=full_key).values_list("channel", flat=True))
    preferences = selectors.preferences_for(user=user)
    delivery = selectors.delivery_for(user=user)
    channels = [
        channel for channel in spec.channels
        if channel not in done and registry.configured(channel) and preferences[(spec.category, channel)]
        and _reachable(user=user, channel=channel, delivery=delivery)
    ]
    if not channels:
        return []
    rendered = rendering.render_event(event=spec, context=context, language=delivery.language,
                                      time_zone=delivery.time_zone)
    made = []
    for channel in channels:
        status, due, why = _schedule(event=spec, channel=channel, user=user, now=now, delivery=delivery,
                                     context=context)
        try:
            with transaction.atomic():
                made.append(Notification.objects.create(
                    event=event, user=user, channel=channel, category=spec.category, key=full_key,
                    language=delivery.language, url=rendered.url[:500], status=status, next_attempt_at=due,
                    last_error=why, sent_at=now if status == S.SENT else None,
                    **_content(event=spec, channel=channel, user=user, rendered=rendered, language=delivery.language),
                ))
        except IntegrityError:  # raised at once by another transaction: its row stands
            continue
    queued = [row.pk for row in made if row.status == S.QUEUED]
    if queued:
        transaction.on_commit(lambda: [enqueue(pk) for pk in queued])
    return made


def welcome_notify(*, user) -> None:
    """accounts' onboarding hook (ACCOUNTS_ONBOARDED_HOOKS): the welcome message of a new account."""
    notify(event="welcome", user=user, context={"name": user.display_name or user.email.split("@")[0]},
           key=str(user.pk))


def followers_notify(*, creator_id: int, event: str, context: dict, key: str) -> int:
    """Raise `event` for every follower of a creator (inside the caller's transaction). Returns rows written."""
    follows = Follow.objects.filter(creator_id=creator_id, user__is_active=True).select_related("user")
    return sum(len(notify(event=event, user=follow.user, context=context, key=key)) for follow in follows)


# --- the bell -------------------------------------------------------------------------------------------------------


def notifications_mark_read(*, user, ids: list[int]) -> int:
    """Mark the person's own in-app notifications read. Returns how many changed."""
    return selectors.in_app_for(user=user).filter(pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user) -> int:
    return selectors.in_app_for(user=user).filter(read_at__isnull=True).update(read_at=timezone.now())


# --- preferences and delivery settings --------------------------------------------------------------------------------


def preference_set(*, user, category: str, channel: str, enabled: bool) -> Preference | None:
    """Turn a category on or off on a channel. Transactional categories stay on (PreferenceLocked)."""
    if category not in Category.values or channel not in Channel.values:
        raise NotificationInvalid(fields={"category" if category not in Category.values else "channel":
                                          ["Unknown."]})
    if events.is_transactional(category):
        if not enabled:
            raise PreferenceLocked()
        return None
    preference, _ = Preference.objects.update_or_create(user=user, category=category, channel=channel,
                                                        defaults={"enabled": enabled})
    return preference


def preferences_update(*, user, enabled: set[tuple[str, str]]) -> None:
    """The settings page: every non-transactional (category, channel) in `enabled` on, every other one off."""
    with transaction.atomic():
        for category in Category.values:
            if events.is_transactional(category):
                continue
            for channel in Channel.values:
                preference_set(user=user, category=category, channel=channel, enabled=(category, channel) in enabled)


def delivery_settings_update(*, user, time_zone: str, quiet_start: time | None, quiet_end: time | None,
                             language: str, phone: str) -> DeliverySettings:
    """Time zone (IANA name), quiet hours (both or neither), message language (blank: the first profile's) and the
    phone for SMS (E.164). NotificationInvalid names each bad field; nothing is saved then."""
    problems: dict[str, list[str]] = {}
    if time_zone not in zoneinfo.available_timezones():
        problems["time_zone"] = ["Not a time zone name such as Pacific/Port_Moresby."]
    if (quiet_start is None) != (quiet_end is None):
        problems["quiet_end" if quiet_end is None else "quiet_start"] = ["Give both the start and the end."]
    if language and language not in dict(settings.LANGUAGES):
        problems["language"] = ["Not a language of the site."]
    phone = re.sub(r"[\s\-()]", "", phone or "")
    if phone and not E164.match(phone):
        problems["phone"] = ["Give the number with its country code, e.g. +67571234567."]
    if problems:
        raise NotificationInvalid(fields=problems)
    row, _ = DeliverySettings.objects.update_or_create(user=user, defaults={
        "time_zone": time_zone, "quiet_start": quiet_start, "quiet_end": quiet_end, "language": language,
        "phone": phone})
    return row


# --- unsubscribe and suppression --------------------------------------------------------------------------------------


def unsubscribe(*, token: str) -> tuple[int, str, str] | None:
    """One-click unsubscribe (no sign-in: the signed token is the authority). Turns the token's category (or every
    non-transactional one) off on its channel. Returns (user id, category, channel), or None for a token we did not
    sign or that names nothing we send."""
    found = unsubscribe_read(token)
    if found is None or found.channel not in Channel.values:
        return None
    if found.category != ALL and (found.category not in Category.values or events.is_transactional(found.category)):
        return None
    user = get_user_model().objects.filter(pk=found.user_id).first()
    if user is None:
        return None
    categories = [c for c in Category.values if not events.is_transactional(c)] if found.category == ALL else [
        found.category]
    with transaction.atomic():
        for category in categories:
            preference_set(user=user, category=category, channel=found.channel, enabled=False)
    return found.user_id, found.category, found.channel


def suppression_add(*, address: str, reason: str, channel: str = Channel.EMAIL, detail: str = "",
                    provider_id: str = "") -> Suppression:
    """Stop sending to an address (a bounce, a complaint, a STOP). Idempotent. The message it concerns, if the
    provider named it, records why."""
    address = address.strip().lower()
    if reason not in Suppression.Reason.values or not address:
        raise NotificationInvalid(fields={"reason" if address else "address": ["Invalid."]})
    row, _ = Suppression.objects.get_or_create(channel=channel, address=address,
                                               defaults={"reason": reason, "detail": detail[:500]})
    if provider_id:
        Notification.objects.filter(channel=channel, provider_id=provider_id).update(
            status=S.DEAD, last_error=f"{reason}: {detail}"[:2000])
    return row


def suppression_remove(*, channel: str, address: str) -> int:
    deleted, _ = Suppression.objects.filter(channel=channel, address=address.strip().lower()).delete()
    return deleted


# --- web push and follows -----------------------------------------------------------------------------------------


def push_subscription_save(*, user, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Record a browser's push subscription (the site's subscribe script sends it). An endpoint belongs to one
    browser: saved again, it moves to whoever is signed in there now."""
    problems = {name: ["Required."] for name, value in (("endpoint", endpoint), ("p256dh", p256dh), ("auth", auth))
                if not value}
    if endpoint and not endpoint.startswith("https://"):
        problems["endpoint"] = ["A push service's https address."]
    if problems:
        raise NotificationInvalid(fields=problems)
    row, _ = PushSubscription.objects.update_or_create(endpoint=endpoint, defaults={
        "user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]})
    return row


def push_subscription_delete(*, user, endpoint: str) -> bool:
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return bool(deleted)


def follow_set(*, user, creator_id: int, following: bool) -> bool:
    """Follow (or stop following) a creator: their approved creator page's owner, never oneself. Idempotent;
    returns whether the person follows the creator now."""
    if not following:
        Follow.objects.filter(user=user, creator_id=creator_id).delete()
        return False
    creator = accounts_selectors.user_get(user_id=creator_id)
    profile = accounts_selectors.creator_profile_for(user=creator) if creator else None
    if profile is None or profile.status != "approved" or creator_id == user.pk:
        raise CannotFollow()
    Follow.objects.get_or_create(user=user, creator_id=creator_id)
    return True


def delivery_receipt(*, provider: str, provider_id: str, status: str) -> int:
    """A provider's delivery receipt for a sent SMS (the webhook has checked its signature): record the status on
    the outbox row with that provider id. Idempotent, and never backwards: a receipt ranked at or below the stored one
    (`sent` arriving after `delivered`, the same receipt twice) changes nothing. Returns the rows changed (0 for an id
    we never sent, which the webhook still acknowledges so the provider stops retrying)."""
    rank = STATUS_RANK.get(status)
    if rank is None or not provider_id:
        return 0
    changed = 0
    for row in Notification.objects.filter(channel=Channel.SMS, provider_id=provider_id).only("id", "delivery_status"):
        if STATUS_RANK.get(row.delivery_status, -1) >= rank:
            continue
        # conditional on the status read, so two receipts racing cannot move it backwards
        changed += Notification.objects.filter(pk=row.pk, delivery_status=row.delivery_status).update(
            delivery_status=status, delivered_at=timezone.now() if status == "delivered" else None,
        )
    return changed
