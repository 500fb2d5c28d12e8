"""Notifications' demo: the demo viewer follows the demo creator (the creator page's Follow button shows it), and
where to look for what the platform sends. Safe to run again."""

from django.contrib.auth import get_user_model

from notifications import services
from notifications.errors import CannotFollow


def seed() -> list[str]:
    users = {user.email: user for user in get_user_model().objects.filter(
        email__in=["viewer@wans.demo", "creator@wans.demo"])}
    viewer, creator = users.get("viewer@wans.demo"), users.get("creator@wans.demo")
    lines = ["notifications: emails print in the worker's log (console backend); the bell is in the header; "
             "previews of every message in English and Tok Pisin: /admin/notifications/notification/preview/"]
    if viewer and creator:
        try:
            services.follow_set(user=viewer, creator_id=creator.pk, following=True)
            lines.append("viewer@wans.demo follows creator@wans.demo (new films from them reach the viewer's bell)")
        except CannotFollow:
            pass
    return lines
