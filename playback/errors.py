"""Playback's refusals. Each code is stable: the player shows a message per code and the way to get access."""

from rest_framework import status

from core.exceptions import DomainError, InvalidInput


class PlaybackRefused(DomainError):
    """A refusal of a session (start or heartbeat); `extra` carries the offers and the next window."""


class NoEntitlement(PlaybackRefused):
    code = "no_entitlement"
    message = "You need a subscription, a rental or a ticket to watch this film."
    http_status = status.HTTP_402_PAYMENT_REQUIRED


class WindowClosed(PlaybackRefused):
    code = "window_closed"
    message = "This film is not streaming here at the moment."
    http_status = status.HTTP_403_FORBIDDEN


class StreamLimitReached(PlaybackRefused):
    code = "stream_limit"
    message = "Your plan's streams are all in use. Stop one, or end it from the account page."
    http_status = status.HTTP_409_CONFLICT


class DeviceLimitReached(PlaybackRefused):
    code = "device_limit"
    message = "Your plan's device limit is reached: sign another device out on the account page."
    http_status = status.HTTP_409_CONFLICT


class MaturityRestricted(PlaybackRefused):
    code = "maturity"
    message = "This film is rated above this profile's maturity limit."
    http_status = status.HTTP_403_FORBIDDEN


class MediaNotReady(PlaybackRefused):
    code = "media_unavailable"
    message = "This film has no playable media yet."
    http_status = status.HTTP_409_CONFLICT


class FilmNotFound(DomainError):
    code = "not_found"
    message = "No such film."
    http_status = status.HTTP_404_NOT_FOUND


class SessionNotFound(DomainError):
    code = "not_found"
    message = "No such playback session."
    http_status = status.HTTP_404_NOT_FOUND


class SessionEnded(DomainError):
    """The session has expired (no heartbeat), was stopped, or ended from another device."""

    code = "session_ended"
    message = "This playback session has ended. Start playing again."
    http_status = status.HTTP_410_GONE


class PlaybackForbidden(DomainError):
    code = "permission_denied"
    message = "You cannot do this."
    http_status = status.HTTP_403_FORBIDDEN


class BadSignature(DomainError):
    code = "bad_signature"
    message = "This link is invalid or has expired."
    http_status = status.HTTP_403_FORBIDDEN


class PlaybackInvalid(InvalidInput):
    """Bad input found by a service (core.exceptions.InvalidInput)."""


class LicenseServiceUnavailable(DomainError):
    code = "license_service_not_configured"
    message = "No license service is configured for this DRM system."
    http_status = status.HTTP_501_NOT_IMPLEMENTED


class LicenseServiceFailed(DomainError):
    code = "license_service_failed"
    message = "The license service could not be reached."
    http_status = status.HTTP_502_BAD_GATEWAY


class MediaKeyMismatch(PlaybackRefused):
    """The stored media names a key id that is not the one packaging recorded, or not among the film's current
    keys (keys and media drifted apart: a restored backup, an overwritten folder). Never served: it would decrypt
    to garbage. `manage.py drm_check` finds every such rendition."""

    code = "media_key_mismatch"
    message = "This film's media does not match its keys: it cannot play until it is re-packaged."
    http_status = status.HTTP_409_CONFLICT


class QualityAboveYourPlan(PlaybackRefused):
    code = "quality_above_plan"
    message = "This quality is above your plan's."
    http_status = status.HTTP_403_FORBIDDEN


class PlaybackUnavailable(DomainError):
    """The session store (Redis) does not answer: playback fails closed, never open, and says when to try again."""

    code = "playback_unavailable"
    message = "Playback is briefly unavailable, try again in a minute"
    http_status = status.HTTP_503_SERVICE_UNAVAILABLE


class SegmentThrottled(DomainError):
    """One session asked for the same file more often than a player ever needs to (playback.throttle)."""

    code = "too_many_requests"
    message = "This player is asking for the same part of the film too often: it is paused for a while."
    http_status = status.HTTP_429_TOO_MANY_REQUESTS
