"""System checks on the token lifetimes (`manage.py check`): a media token must outlive the heartbeat that renews
it, and retired keys must outlive every token that can still name them."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def token_lifetimes(app_configs, **kwargs) -> list[Error]:
    errors = []
    if settings.PLAYBACK_MEDIA_TOKEN_SECONDS < 2 * settings.PLAYBACK_HEARTBEAT_SECONDS:
        errors.append(
            Error(
                "PLAYBACK_MEDIA_TOKEN_SECONDS must be at least twice PLAYBACK_HEARTBEAT_SECONDS: heartbeats renew "
                "media tokens, and a player must get a new one before the one it holds expires.",
                id="playback.E001",
            )
        )
    longest = max(settings.PLAYBACK_MEDIA_TOKEN_SECONDS, settings.PLAYBACK_DRM_TOKEN_SECONDS)
    if longest >= settings.TRANSCODING_KEY_RETIRED_GRACE_SECONDS:
        errors.append(
            Error(
                "TRANSCODING_KEY_RETIRED_GRACE_SECONDS must be longer than PLAYBACK_MEDIA_TOKEN_SECONDS and "
                "PLAYBACK_DRM_TOKEN_SECONDS: a retired key and its media must outlive every token that names them.",
                id="playback.E002",
            )
        )
    return errors
