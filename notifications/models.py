"""The notification outbox and what decides whether and where a message goes: preferences, per-user delivery
settings (time zone, quiet hours, language, phone), suppressed addresses, web-push subscriptions and follows.

An outbox row is written in the transaction of the event that raised it (services.notify) and sent after commit;
its (user, channel, key) is unique, so an event raised twice writes one row, and a row is sent only by the worker
that claims it with a conditional UPDATE (services.notification_send)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Web push")
    IN_APP = "in_app", _("In the app")


class Category(models.TextChoices):
    """What a message is about; preferences are per category and channel. TRANSACTIONAL ones cannot be turned off;
    MARKETING is off until the person opts in (events.py)."""

    ACCOUNT = "account", _("Your account")
    BILLING = "billing", _("Payments and subscription")
    REMINDERS = "reminders", _("Reminders about rentals")
    NEW_FILMS = "new_films", _("New films you follow or saved")
    CREATOR = "creator", _("Your films (creators)")
    EARNINGS = "earnings", _("Statements and payouts (creators)")
    STAFF = "staff", _("Staff digest")
    MARKETING = "marketing", _("News and offers")


class Notification(models.Model):
    """One message for one person on one channel: the outbox row, and for in-app also the bell's item."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        DELAYED = "delayed", "Delayed (quiet hours)"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, will retry"
        DEAD = "dead", "Dead (gave up)"
        SUPPRESSED = "suppressed", "Suppressed"

    event = models.CharField(max_length=40, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    category = models.CharField(max_length=12, choices=Category.choices)
    key = models.CharField(max_length=200, help_text="The event's idempotency key: one row per key, user, channel.")
    language = models.CharField(max_length=8, default="en")
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="When it is due (quiet hours, retry).")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker last took it to send.")
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True, db_index=True)
    delivery_status = models.CharField(
        max_length=10, blank=True, help_text="The provider's delivery receipt (SMS): queued, sent, delivered, failed."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True, help_text="In-app: when the person read it.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint("user", "channel", "key", name="notifications_once_per_key_user_channel"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notifications_due"),
            models.Index(
                fields=["user", "created_at"], condition=Q(channel="in_app", read_at__isnull=True),
                name="notifications_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.user_id} by {self.channel} ({self.status})"


class Preference(models.Model):
    """A person's choice for one category on one channel. No row: the category's default (events.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=12, choices=Category.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    enabled = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint("user", "category", "channel", name="notifications_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}/{self.channel}: {'on' if self.enabled else 'off'}"


class DeliverySettings(models.Model):
    """How to reach a person and when not to: time zone and quiet hours (non-urgent messages wait for their end),
    the language of messages (blank: the account's first profile's), and the phone number for SMS. Accounts has no
    time zone, language or phone of its own. No row: the defaults (selectors.delivery_settings_for)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    time_zone = models.CharField(max_length=64, default="Pacific/Port_Moresby")
    quiet_start = models.TimeField(null=True, blank=True, help_text="Empty with quiet_end: no quiet hours.")
    quiet_end = models.TimeField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True, help_text="Empty: the first profile's language.")
    phone = models.CharField(max_length=16, blank=True, help_text="E.164, for SMS (+6757...).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "delivery settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="notifications_quiet_hours_both_or_neither",
            )
        ]

    def __str__(self) -> str:
        return f"delivery settings of {self.user_id}"


class Suppression(models.Model):
    """An address nothing more is sent to: it bounced, its owner complained (spam), or unsubscribed from all."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", "Bounced"
        COMPLAINT = "complaint", "Complaint (marked as spam)"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribed from everything"

    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    address = models.CharField(max_length=254, help_text="Stored lower-case.")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("channel", "address", name="notifications_suppression_once")]

    def __str__(self) -> str:
        return f"{self.address} ({self.reason})"


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


class Follow(models.Model):
    """A person follows a creator, to hear of the creator's new films. It lives here, not in accounts: following is a
    request for news (a notification preference in all but name), and the event it drives is raised by catalog,
    which may use notifications but is not used by accounts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "creator", name="notifications_follow_once"),
            models.CheckConstraint(condition=~Q(user=models.F("creator")), name="notifications_follow_not_self"),
        ]
        indexes = [models.Index(fields=["creator", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.creator_id}"
