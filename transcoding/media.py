"""Transcoding's answer to catalog's media question (CATALOG_MEDIA_PROVIDER): a film can be published once its
feature is packaged in the layout playback serves."""

from transcoding.models import CURRENT_LAYOUT, AssetKind, Job, JobState, Rendition


class TranscodedMedia:
    """A completed feature job in the current layout with at least one video rendition. One query."""

    def film_has_playable_media(self, *, film_id: int) -> bool:
        return Job.objects.filter(
            film_id=film_id,
            kind=AssetKind.FEATURE,
            state=JobState.COMPLETED,
            layout=CURRENT_LAYOUT,
            renditions__kind=Rendition.Kind.VIDEO,
        ).exists()
