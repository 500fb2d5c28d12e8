"""Writes for notifications: here, a browser's web-push subscription (the site's subscribe script sends it)."""

from notifications.errors import NotificationInvalid
from notifications.models import PushSubscription


def push_subscription_save(*, user, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Record a browser's push subscription. An endpoint belongs to one browser: saved again, it moves to whoever is
    signed in there now."""
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
