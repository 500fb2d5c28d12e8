"""Which adapter delivers each channel: NOTIFICATIONS_CHANNELS maps a channel to a class path. A channel with no
path, or whose class cannot be imported (an adapter not installed in this deployment), is not configured: the outbox
writes no rows for it, and the system check notifications.W001 names it. In-app needs no adapter: its row is the
message."""

import logging
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.channels.base import Channel
from notifications.models import Channel as ChannelName

log = logging.getLogger(__name__)


@lru_cache(maxsize=32)
def _load(path: str) -> Channel | None:
    try:
        return import_string(path)()
    except ImportError as error:
        log.warning("notification channel adapter %s cannot be loaded: %s", path, error)
        return None


def adapter_for(channel: str) -> Channel | None:
    path = settings.NOTIFICATIONS_CHANNELS.get(channel, "")
    return _load(path) if path else None


def configured(channel: str) -> bool:
    return channel == ChannelName.IN_APP or adapter_for(channel) is not None


def unconfigured() -> list[str]:
    """Channels with a path that does not load (for the system check and the admin)."""
    return sorted(
        name for name, path in settings.NOTIFICATIONS_CHANNELS.items()
        if name != ChannelName.IN_APP and path and _load(path) is None
    )
