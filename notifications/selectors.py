"""Reads for notifications: the bell, preferences, delivery settings, follows, push subscriptions, suppression."""

from dataclasses import dataclass
from datetime import time

from django.conf import settings
from django.db.models import QuerySet

from accounts import selectors as accounts_selectors
from notifications import events
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

IN_APP_VISIBLE = (Notification.Status.SENT,)


def in_app_for(*, user) -> QuerySet[Notification]:
    """The bell's list, newest first."""
    return Notification.objects.filter(user=user, channel=Channel.IN_APP, status__in=IN_APP_VISIBLE)


def unread_count(*, user) -> int:
    return in_app_for(user=user).filter(read_at__isnull=True).count()


@dataclass(frozen=True)
class Delivery:
    time_zone: str
    quiet_start: time | None
    quiet_end: time | None
    language: str
    phone: str


def _default_quiet() -> tuple[time | None, time | None]:
    span = settings.NOTIFICATIONS_QUIET_HOURS
    if not span:
        return None, None
    start, end = span.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def delivery_settings_row(*, user) -> DeliverySettings | None:
    return DeliverySettings.objects.filter(user=user).first()


def delivery_for(*, user) -> Delivery:
    """Where and when to reach `user`: their settings, else the defaults (Port Moresby time, the default quiet
    hours, the first profile's language, no phone)."""
    row = delivery_settings_row(user=user)
    language = row.language if row and row.language else ""
    if not language:
        first = accounts_selectors.profiles_for(user=user).first()
        language = first.language if first else settings.LANGUAGE_CODE
    if row is None:
        start, end = _default_quiet()
        return Delivery(settings.NOTIFICATIONS_DEFAULT_TIME_ZONE, start, end, language, "")
    return Delivery(row.time_zone, row.quiet_start, row.quiet_end, language, row.phone)


def preferences_for(*, user) -> dict[tuple[str, str], bool]:
    """{(category, channel): enabled} for every category and channel, the defaults filled in."""
    chosen = {(p.category, p.channel): p.enabled for p in Preference.objects.filter(user=user)}
    return {
        (category, channel): True if events.is_transactional(category)
        else chosen.get((category, channel), events.default_enabled(category))
        for category in Category.values for channel in Channel.values
    }


def preference_enabled(*, user, category: str, channel: str) -> bool:
    if events.is_transactional(category):
        return True
    row = Preference.objects.filter(user=user, category=category, channel=channel).first()
    return row.enabled if row else events.default_enabled(category)


def suppressed(*, channel: str, address: str) -> Suppression | None:
    return Suppression.objects.filter(channel=channel, address=address.strip().lower()).first()


def push_subscriptions_for(*, user) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user).order_by("id")


def is_following(*, user, creator_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, creator_id=creator_id).exists()


def followers_count(*, creator_id: int) -> int:
    return Follow.objects.filter(creator_id=creator_id).count()


def follower_ids(*, creator_id: int) -> QuerySet:
    return Follow.objects.filter(creator_id=creator_id).values_list("user_id", flat=True)


def dead_letters() -> QuerySet[Notification]:
    return Notification.objects.filter(status=Notification.Status.DEAD)


def notifications_of(*, user, event: str | None = None) -> QuerySet[Notification]:
    """A person's outbox rows on every channel (the admin's and the tests' view of what was raised)."""
    rows = Notification.objects.filter(user=user)
    return rows.filter(event=event) if event else rows
