from django.utils.translation import gettext_lazy as _
from rest_framework import status

from core.exceptions import DomainError, InvalidInput


class WindowOverlap(DomainError):
    code = "window_overlap"
    message = _("Another window of the same type already covers part of this period in some of these territories.")
    http_status = status.HTTP_409_CONFLICT


class WindowNotFound(DomainError):
    code = "not_found"
    message = _("No such window (it may just have been deleted).")
    http_status = status.HTTP_404_NOT_FOUND


class WindowPermissionDenied(DomainError):
    code = "permission_denied"
    message = _("Only the film's creator or staff can manage its windows.")
    http_status = status.HTTP_403_FORBIDDEN


class WindowInvalid(InvalidInput):
    """Bad input found by the service; rendered like a serializer's 400, naming the fields in the message too."""

