"""The staff's daily digest of pending actions (issue 15): the overview's pending counts, sent through notifications
to every active staff member who may see the pending list, once a day and only when something waits."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from console import selectors
from notifications import services as notifications


def staff_digest_send(*, now: datetime | None = None) -> int:
    """Returns the notifications written (0 when nothing waits, or on a second run the same day)."""
    now = now or timezone.now()
    items = [item for item in selectors.pending_counts(now=now) if item["count"]]
    total = sum(item["count"] for item in items)
    if not total:
        return 0
    context = {"items": [{"label": item["label"], "count": item["count"]} for item in items], "total": total,
               "day": now}
    written = 0
    for user in get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk"):
        if user.has_perm("console.view_pending"):
            written += len(notifications.notify(event="staff_digest", user=user, context=context,
                                                key=now.date().isoformat()))
    return written
