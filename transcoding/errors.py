from django.utils.translation import gettext_lazy as _
from rest_framework import status

from core.exceptions import DomainError, InvalidInput, InvalidTransition

__all__ = [
    "InvalidTransition",
    "JobPermissionDenied",
    "MediaRejected",
    "PackagingUnavailable",
    "TransientFailure",
    "UploadInvalid",
]


class MediaRejected(DomainError):
    """The master cannot be transcoded: a permanent failure, never retried."""

    code = "media_rejected"
    message = _("This file cannot be transcoded.")
    http_status = status.HTTP_400_BAD_REQUEST


class PackagingUnavailable(MediaRejected):
    """The media cannot be packaged as asked: encryption without the film's keys, or (re-packaging) a stored segment
    that does not decrypt with the key its playlist names."""

    code = "packaging_unavailable"
    message = _("The media cannot be packaged as asked.")


class TransientFailure(Exception):
    """Storage, network or a killed process: worth another attempt."""


class JobCancelled(Exception):
    """The job was cancelled while running: stop and clean up."""


class UploadInvalid(DomainError):
    code = "upload_invalid"
    message = _("The upload is not complete or does not match what was declared.")
    http_status = status.HTTP_400_BAD_REQUEST


class JobPermissionDenied(DomainError):
    code = "permission_denied"
    message = _("Only the film's creator or staff can do this.")
    http_status = status.HTTP_403_FORBIDDEN


class NotAuthenticated(DomainError):
    """A worker token or a webhook signature is missing or wrong."""

    code = "not_authenticated"
    message = _("A valid worker token or signature is required.")
    http_status = status.HTTP_401_UNAUTHORIZED


class TranscodingInvalid(InvalidInput):
    """Bad input found by a service (core.exceptions.InvalidInput)."""
