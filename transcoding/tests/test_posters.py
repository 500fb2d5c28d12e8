"""The transcoder's poster pick offered as the film's poster (issue 25, item 6): set when a feature finishes and the
film has none, kept when it has one, and chosen again over the API (the pick or any still)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageStat
from rest_framework.test import APIClient

from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from transcoding import services

pytestmark = pytest.mark.django_db


def _encode(film, creator, clips):
    job = services.job_create(
        film=film, by=creator, source_path=clips("p360", width=640, height=360, seconds=3), enqueue=False
    )
    return services.job_run(job_id=job.pk)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_film_without_a_poster_gets_the_transcoders_pick_not_a_black_frame(film, creator, clips, settings):
    settings.TRANSCODING_THUMBNAILS = 6

    job = _encode(film, creator, clips)

    film = catalog_selectors.film_get(film_id=film.pk)
    assert job.state == "completed"
    assert film.poster.name
    with film.poster.open("rb") as handle, Image.open(handle) as poster:
        assert poster.size == (640, 360)
        assert max(ImageStat.Stat(poster.convert("L")).mean) > 30  # a test pattern, not black
    assert sorted(film.images.filter(kind="poster").values_list("width", flat=True)) == [185, 342]


def test_a_poster_already_set_is_kept(film, creator, clips):
    art = io.BytesIO()
    Image.new("RGB", (780, 1170), (200, 40, 40)).save(art, "JPEG")
    catalog_services.film_image_set(
        film=film, by=creator, kind="poster", upload=SimpleUploadedFile("mine.jpg", art.getvalue())
    )
    before = catalog_selectors.film_get(film_id=film.pk).poster.name

    _encode(film, creator, clips)

    assert catalog_selectors.film_get(film_id=film.pk).poster.name == before


def test_the_creator_chooses_a_still_as_poster_over_the_api_and_others_cannot(
    film, creator, clips, make_user, settings
):
    settings.TRANSCODING_THUMBNAILS = 6
    job = _encode(film, creator, clips)
    first = catalog_selectors.film_get(film_id=film.pk).poster.name

    chosen = _client(creator).post(f"/api/jobs/{job.pk}/poster", {"thumbnail": 2}, format="json")
    out_of_range = _client(creator).post(f"/api/jobs/{job.pk}/poster", {"thumbnail": 99}, format="json")
    after_choice = catalog_selectors.film_get(film_id=film.pk).poster.name
    stranger = _client(make_user("creator")).post(f"/api/jobs/{job.pk}/poster", {}, format="json")

    assert chosen.status_code == 200, chosen.json()
    assert chosen.json()["film_id"] == film.pk and chosen.json()["poster"].endswith(".jpg")
    assert after_choice != first and "thumb_002" in after_choice
    assert out_of_range.status_code == 400
    assert list(out_of_range.json()["error"]["fields"]) == ["thumbnail"]
    assert stranger.status_code == 404
    assert catalog_selectors.film_get(film_id=film.pk).poster.name == after_choice
