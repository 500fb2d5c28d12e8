"""Notifications' tables. This branch holds only the web-push subscription (the outbox, preferences, suppressions and
follows are built beside it, on the same contract: notifications/channels/base.py)."""

from django.conf import settings
from django.db import models


class PushSubscription(models.Model):
    """A browser's web-push subscription (the Push API's endpoint and keys), for the web-push channel."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"push subscription of {self.user_id}"
