from django.utils.translation import gettext_lazy as _
from rest_framework import status

from core.exceptions import DomainError


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    message = _("The email or password is not right.")
    http_status = status.HTTP_401_UNAUTHORIZED


class LoginLocked(DomainError):
    code = "login_locked"
    message = _("Too many failed sign-in attempts. Wait a while, then try again, or reset your password.")
    http_status = status.HTTP_429_TOO_MANY_REQUESTS


class EmailUnverified(DomainError):
    code = "email_unverified"
    message = _("Confirm your email address first: we sent you a link.")
    http_status = status.HTTP_403_FORBIDDEN


class AccountInactive(DomainError):
    code = "account_locked"
    message = _("This account is locked. Contact support.")
    http_status = status.HTTP_403_FORBIDDEN


class ProfileLimitReached(DomainError):
    code = "profile_limit"
    message = _("An account can have at most 5 profiles. Delete one to add another.")
    http_status = status.HTTP_409_CONFLICT


class LastProfile(DomainError):
    code = "last_profile"
    message = _("An account keeps at least one profile: this is the last one.")
    http_status = status.HTTP_409_CONFLICT


class ProfileNameTaken(DomainError):
    code = "profile_name_taken"
    message = _("Another profile on this account already has that name.")
    http_status = status.HTTP_400_BAD_REQUEST


class DeviceLimitReached(DomainError):
    code = "device_limit"
    message = _("This account is signed in on too many devices. Sign one out in your account settings.")
    http_status = status.HTTP_409_CONFLICT


class InvalidToken(DomainError):
    code = "token_not_valid"
    message = _("The token is invalid, expired or revoked.")
    http_status = status.HTTP_401_UNAUTHORIZED


class CreatorApplicationRefused(DomainError):
    """An application that cannot be made as asked (already a creator, already waiting)."""

    code = "creator_application"
    http_status = status.HTTP_409_CONFLICT


class CreatorSlugTaken(DomainError):
    code = "invalid"
    message = _("Another creator already has that address: choose another slug.")
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self):
        super().__init__(fields={"slug": [self.message]})


class CreatorReviewDenied(DomainError):
    code = "permission_denied"
    message = _("Only staff review creator applications.")
    http_status = status.HTTP_403_FORBIDDEN


class CreatorRejectionReasonRequired(DomainError):
    code = "invalid"
    message = _("Say why the application is refused, so the applicant can fix it.")
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self):
        super().__init__(fields={"reason": [self.message]})


class TeamInviteInvalid(DomainError):
    """An invitation that cannot be made as asked; `fields` names what to change."""

    code = "invalid"
    message = _("This invitation cannot be sent.")
    http_status = status.HTTP_400_BAD_REQUEST


class TeamPermissionDenied(DomainError):
    code = "permission_denied"
    message = _("Only the creator manages their team.")
    http_status = status.HTTP_403_FORBIDDEN
