"""Coded refusals of the notification services."""

from core.exceptions import InvalidInput


class NotificationInvalid(InvalidInput):
    code = "notification_invalid"
