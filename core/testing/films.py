"""Films as the tests need them, made through the services (the lifecycle every test goes through is the real one).

A published film needs playable media (catalog.media). Tests that never play it get the rows of a completed
transcoding job (`media_rows`: a job and its renditions, no files: cheap, and enough for the media question); tests
that play it transcode a clip for real (`make_clip`, the `clip` fixture, playback's `media`)."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from catalog import services as catalog_services
from rights import services as rights_services

# Release prices per window type (minor units), as the tests of billing, playback and rights price their windows.
PRICES = {
    "tvod": {"PGK": 1500, "USD": 499},
    "pvod": {"PGK": 3500, "USD": 1499},
    "ppv": {"PGK": 2000, "USD": 799},
    "festival": {"PGK": 1000, "USD": 399},
    "collector": {"PGK": 12000, "USD": 3999},
}


def media_rows(film, *, by=None):
    """The rows a completed feature transcode leaves (a 360p and a 240p rendition, stereo audio), without files:
    the film can be published; playing it needs real media."""
    job_model = apps.get_model("transcoding", "Job")
    rendition_model = apps.get_model("transcoding", "Rendition")
    now = timezone.now()
    job = job_model.objects.create(
        film=film, created_by=by, source_path="/tests/no-file.mp4", state="completed", progress=1.0,
        output_prefix=f"films/{film.pk}/test-rows", duration_seconds=4.0, started_at=now, finished_at=now,
    )
    for height, kbps in ((360, 1000), (240, 500)):
        rendition_model.objects.create(
            job=job, kind="video", representation_id=f"v{height}", width=height * 16 // 9, height=height,
            rung=height, bitrate_kbps=kbps, bandwidth=kbps * 1000, average_bandwidth=kbps * 900,
            codecs="avc1.64001e", frame_rate=25.0, playlist=f"v{height}/index.m3u8",
        )
    rendition_model.objects.create(
        job=job, kind="audio", representation_id="a128", bitrate_kbps=128, bandwidth=128_000,
        average_bandwidth=128_000, codecs="mp4a.40.2", playlist="a128/index.m3u8",
    )
    return job


def film_published(*, creator, staff, title: str = "Kokoda Dawn", genres=(), **data):
    """A film through the lifecycle: created by `creator`, sent for review, given media rows, approved by `staff`."""
    film = catalog_services.film_create(creator=creator, data={"title": title, **data})
    if genres:
        film.genres.set([catalog_services.genre_get_or_create(name=name) for name in genres])
    catalog_services.film_submit(film=film, by=creator)
    media_rows(film, by=creator)
    catalog_services.film_approve(film=film, by=staff)
    return film


def window_open(*, film, staff, window_type: str = "svod", territories: str = "PG,US", starts_at=None, ends_at=None,
                prices=None, **terms):
    """A window through rights' service, started a day ago unless said, priced from PRICES unless given."""
    start = starts_at or timezone.now() - timedelta(days=1)
    prices = PRICES.get(window_type, {}) if prices is None else prices
    if window_type == "ppv":
        terms.setdefault("event_starts_at", start + timedelta(minutes=1))
    if window_type == "collector":
        terms.setdefault("edition_size", 3)
    if window_type == "festival":
        terms.setdefault("festival_ticketed", bool(prices))  # priced: ticketed; free otherwise
    return rights_services.window_create(
        film=film, by=staff, window_type=window_type, territories=territories, starts_at=start, ends_at=ends_at,
        prices=prices, **terms,
    )
