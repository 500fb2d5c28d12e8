"""Which live session a media request speaks for. A manifest, a DRM key or a licence request names a session (by a
signed token, or by id for its signed-in owner); these checks find it, make sure it is live and that its access
still holds, and hand back its film's media. They run on every such request, not only at start: a lapsed
subscription gets no fresh media tokens and no keys. Each refusal is a coded error (playback/errors.py)."""

from django.utils import timezone

from playback import manifests, selectors, services
from playback.access import access_check
from playback.errors import MediaNotReady, SessionEnded, SessionNotFound
from playback.models import PlaybackSession
from transcoding import selectors as transcoding_selectors


def session_live_check(*, session_id, film_id: int, owner=None) -> PlaybackSession:
    """The live session `session_id` of `film_id`; with `owner` (a session named by id, not by a signed token),
    only if it is theirs. SessionNotFound for any other session (never saying whose), SessionEnded once over."""
    row = selectors.session_get(session_id=session_id)
    if row is None or row.film_id != film_id or (owner is not None and row.user_id != owner.pk):
        raise SessionNotFound()
    if not services.session_live(row=row):
        raise SessionEnded()
    return row


def stream_session_check(*, session_id, film_id: int, owner=None) -> tuple[PlaybackSession, object]:
    """(the live session, its film's media) for a manifest or thumbnails request, access checked now."""
    row = session_live_check(session_id=session_id, film_id=film_id, owner=owner)
    access_check(user=row.user, film_id=film_id, territory=row.territory, at=timezone.now())
    media = transcoding_selectors.film_media(film_id=film_id)
    if media is None:
        raise MediaNotReady()
    return row, media


def drm_session_check(*, session_id, film_id: int) -> tuple[PlaybackSession, object, set[str]]:
    """(the live session, its film's encrypted media, the key classes its plan may hold) for a key or licence
    request named by a DRM token, access checked now."""
    row = session_live_check(session_id=session_id, film_id=film_id)
    access_check(user=row.user, film_id=film_id, territory=row.territory, at=timezone.now())
    media = transcoding_selectors.film_media(film_id=film_id)
    if media is None or not media.encrypted:
        raise MediaNotReady("This film is not encrypted: it has no key.")
    return row, media, manifests.allowed_classes(media, top_height=row.top_height)
