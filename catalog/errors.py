from django.utils.translation import gettext_lazy as _
from rest_framework import status

from core.exceptions import DomainError, InvalidTransition

__all__ = [
    "CreatorNotApproved",
    "FilmNotEditable",
    "FilmNotFound",
    "FilmPermissionDenied",
    "InvalidTransition",
    "MediaNotReady",
    "RejectionReasonRequired",
]


class FilmPermissionDenied(DomainError):
    code = "permission_denied"
    message = _("Only the film's creator or staff can do this.")
    http_status = status.HTTP_403_FORBIDDEN


class CreatorNotApproved(DomainError):
    code = "creator_not_approved"
    message = _(
        "Your creator application is waiting for staff: keep preparing the film, and send it for review once the "
        "application is approved (GET /api/creators/me shows its state)."
    )
    http_status = status.HTTP_403_FORBIDDEN


class FilmNotEditable(DomainError):
    code = "film_not_deletable"
    message = _("Only a draft can be deleted by its creator; published films are archived by staff.")
    http_status = status.HTTP_409_CONFLICT


class RejectionReasonRequired(DomainError):
    code = "reason_required"
    message = _("Say why the film is sent back, so the creator can fix it.")
    http_status = status.HTTP_400_BAD_REQUEST


class FilmNotFound(DomainError):
    code = "not_found"
    message = _("That film is not available.")
    http_status = status.HTTP_404_NOT_FOUND


class MediaNotReady(DomainError):
    code = "media_not_ready"
    message = _(
        "The film has no playable media yet: upload the feature (POST /api/upload/url) and wait until its "
        "transcoding job is completed (GET /api/jobs/film/<film id>), then publish it."
    )
    http_status = status.HTTP_409_CONFLICT
