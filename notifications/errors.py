"""Coded refusals of the notification services."""

from rest_framework import status

from core.exceptions import DomainError, InvalidInput


class NotificationInvalid(InvalidInput):
    code = "notification_invalid"


class PreferenceLocked(DomainError):
    code = "preference_locked"
    message = "Messages about payments, your account and your films can't be turned off."
    http_status = status.HTTP_409_CONFLICT


class CannotFollow(DomainError):
    code = "cannot_follow"
    message = "You can follow only another person's approved creator page."
    http_status = status.HTTP_400_BAD_REQUEST


class NotificationNotFound(DomainError):
    code = "notification_not_found"
    message = "No such notification."
    http_status = status.HTTP_404_NOT_FOUND
