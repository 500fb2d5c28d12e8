"""The media question catalog asks and transcoding answers: does this film have media a viewer can play? A film is
published (approved, unarchived) only when it does, so no viewer meets a film that cannot play.

The answerer is named by CATALOG_MEDIA_PROVIDER (one of core.env's known values; tests may point the setting at a
class of their own). Catalog never imports transcoding: transcoding depends on catalog (docs/architecture.md)."""

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class MediaProvider(Protocol):
    def film_has_playable_media(self, *, film_id: int) -> bool:
        """True when the film's feature is packaged and servable now (a completed job in the current layout with at
        least one video rendition). One query."""
        ...


def media_provider() -> MediaProvider:
    return import_string(settings.CATALOG_MEDIA_PROVIDER)()
