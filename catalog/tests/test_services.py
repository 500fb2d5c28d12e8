import io

import pytest
from django.db import connection
from PIL import Image

from catalog import selectors, services
from catalog.errors import (
    FilmNotEditable,
    FilmPermissionDenied,
    InvalidTransition,
    MediaNotReady,
    RejectionReasonRequired,
)
from catalog.models import Film, FilmImage, FilmStatus, FilmTransition, Genre
from core.testing.films import film_published, media_rows

pytestmark = pytest.mark.django_db


def _film(creator, **data) -> Film:
    return services.film_create(creator=creator, data={"title": "The Crocodile Prince", **data})


def test_new_film_is_a_draft_with_a_unique_slug(creator):
    first, second = _film(creator), _film(creator)

    assert first.status == second.status == FilmStatus.DRAFT
    assert (first.slug, second.slug) == ("the-crocodile-prince", "the-crocodile-prince-2")


def test_lifecycle_submit_approve_archive_unarchive_records_every_step(creator, staff):
    film = _film(creator)

    services.film_submit(film=film, by=creator)
    media_rows(film, by=creator)
    services.film_approve(film=film, by=staff, note="lovely")
    services.film_archive(film=film, by=creator)
    services.film_unarchive(film=film, by=staff)

    film.refresh_from_db()
    assert film.status == FilmStatus.PUBLISHED
    assert film.published_at is not None
    steps = list(FilmTransition.objects.filter(film=film).values_list("from_status", "to_status", "by", "note"))
    assert steps == [
        ("draft", "in_review", creator.pk, ""),
        ("in_review", "published", staff.pk, "lovely"),
        ("published", "archived", creator.pk, ""),
        ("archived", "published", staff.pk, ""),
    ]


def test_reject_sends_back_to_draft_with_the_reason(creator, staff):
    film = _film(creator)
    services.film_submit(film=film, by=creator)

    services.film_reject(film=film, by=staff, reason="Sound is out of sync at 12:30.")

    film.refresh_from_db()
    assert film.status == FilmStatus.DRAFT
    assert FilmTransition.objects.filter(film=film).last().note == "Sound is out of sync at 12:30."


def test_reject_without_a_reason_is_refused(creator, staff):
    film = _film(creator)
    services.film_submit(film=film, by=creator)

    with pytest.raises(RejectionReasonRequired):
        services.film_reject(film=film, by=staff, reason="  ")
    film.refresh_from_db()
    assert film.status == FilmStatus.IN_REVIEW


@pytest.mark.parametrize(
    "status,action",
    [
        ("draft", "film_approve"),
        ("draft", "film_archive"),
        ("published", "film_submit"),
        ("published", "film_approve"),
        ("archived", "film_submit"),
        ("in_review", "film_archive"),
    ],
)
def test_refused_transitions_change_nothing(creator, staff, status, action):
    film = _film(creator)
    Film.objects.filter(pk=film.pk).update(status=status)
    film.refresh_from_db()

    with pytest.raises(InvalidTransition):
        getattr(services, action)(film=film, by=staff)

    film.refresh_from_db()
    assert film.status == status
    assert not FilmTransition.objects.filter(film=film).exists()


def test_approve_is_refused_without_playable_media_and_changes_nothing(creator, staff):
    film = _film(creator)
    services.film_submit(film=film, by=creator)

    with pytest.raises(MediaNotReady) as refused:
        services.film_approve(film=film, by=staff)

    assert (refused.value.code, refused.value.http_status) == ("media_not_ready", 409)
    film.refresh_from_db()
    assert (film.status, film.published_at) == (FilmStatus.IN_REVIEW, None)
    assert list(FilmTransition.objects.filter(film=film).values_list("to_status", flat=True)) == ["in_review"]


def test_approve_is_allowed_once_a_completed_transcode_left_renditions(creator, staff):
    film = _film(creator)
    services.film_submit(film=film, by=creator)
    media_rows(film, by=creator)

    services.film_approve(film=film, by=staff)

    assert Film.objects.get(pk=film.pk).status == FilmStatus.PUBLISHED


def test_media_that_is_not_playable_does_not_count(creator, staff):
    """A job that is not completed, a completed one with no video rendition, a trailer, or media in the old layout
    (which playback does not serve) leaves the film unpublishable."""
    from django.apps import apps

    job_model = apps.get_model("transcoding", "Job")
    film = _film(creator)
    services.film_submit(film=film, by=creator)
    job = media_rows(film, by=creator)
    for change in ({"state": "transcoding"}, {"kind": "trailer"}, {"layout": 1}):
        job_model.objects.filter(pk=job.pk).update(**change)
        with pytest.raises(MediaNotReady):
            services.film_approve(film=film, by=staff)
        job_model.objects.filter(pk=job.pk).update(state="completed", kind="feature", layout=2)
    job.renditions.filter(kind="video").delete()
    with pytest.raises(MediaNotReady):
        services.film_approve(film=film, by=staff)
    assert Film.objects.get(pk=film.pk).status == FilmStatus.IN_REVIEW


def test_unarchive_is_refused_once_the_media_is_gone_and_allowed_with_media_again(creator, staff):
    film = film_published(creator=creator, staff=staff, title="Kokoda Dawn")
    services.film_archive(film=film, by=staff)
    from django.apps import apps

    apps.get_model("transcoding", "Job").objects.filter(film=film).delete()  # e.g. deleted by staff in the admin

    with pytest.raises(MediaNotReady):
        services.film_unarchive(film=film, by=staff)
    assert Film.objects.get(pk=film.pk).status == FilmStatus.ARCHIVED
    assert FilmTransition.objects.filter(film=film).count() == 3

    media_rows(film, by=creator)
    services.film_unarchive(film=film, by=staff)
    assert Film.objects.get(pk=film.pk).status == FilmStatus.PUBLISHED


def test_creator_cannot_approve_their_own_film(creator):
    film = _film(creator)
    services.film_submit(film=film, by=creator)

    with pytest.raises(FilmPermissionDenied):
        services.film_approve(film=film, by=creator)
    assert Film.objects.get(pk=film.pk).status == FilmStatus.IN_REVIEW


def test_a_creator_cannot_touch_another_creators_film(creator, make_user):
    film = _film(creator)
    intruder = make_user("creator")

    with pytest.raises(FilmPermissionDenied):
        services.film_update(film=film, by=intruder, data={"title": "Mine now"})
    with pytest.raises(FilmPermissionDenied):
        services.film_submit(film=film, by=intruder)
    with pytest.raises(FilmPermissionDenied):
        services.film_delete(film=film, by=intruder)
    film.refresh_from_db()
    assert (film.title, film.status) == ("The Crocodile Prince", FilmStatus.DRAFT)


def test_delete_rules(creator, staff):
    draft = _film(creator)
    published = _film(creator)
    services.film_submit(film=published, by=creator)
    media_rows(published, by=creator)
    services.film_approve(film=published, by=staff)

    assert services.film_delete(film=draft, by=creator) is None
    assert not Film.objects.filter(pk=draft.pk).exists()
    with pytest.raises(FilmNotEditable):
        services.film_delete(film=published, by=creator)
    archived = services.film_delete(film=published, by=staff)
    assert archived.status == FilmStatus.ARCHIVED
    assert Film.objects.get(pk=published.pk).status == FilmStatus.ARCHIVED


def test_featured_is_only_set_by_staff(creator, staff):
    film = _film(creator)

    services.film_update(film=film, by=creator, data={"featured": True})
    assert Film.objects.get(pk=film.pk).featured is False
    services.film_update(film=film, by=staff, data={"featured": True})
    assert Film.objects.get(pk=film.pk).featured is True


def test_credits_genres_tags_and_translations_are_stored(creator):
    drama = services.genre_get_or_create(name="Drama")
    film = _film(
        creator,
        genres=[drama],
        tags=["png", "river"],
        credits=[{"name": "Kila Bona", "role": "director"}, {"name": "Mari Tau", "role": "cast", "character": "Rosa"}],
        translations=[{"language": "tpi", "title": "Pukpuk Pikinini King", "tagline": "", "synopsis": "Stori."}],
        audio_languages=["tpi", "en"],
    )

    assert list(film.genres.values_list("slug", flat=True)) == ["drama"]
    assert sorted(film.tags.values_list("name", flat=True)) == ["png", "river"]
    assert [(c.person.name, c.role, c.character) for c in film.credits.all()] == [
        ("Kila Bona", "director", ""),
        ("Mari Tau", "cast", "Rosa"),
    ]
    assert film.audio_languages == ",tpi,en,"
    film = Film.objects.prefetch_related("translations").get(pk=film.pk)
    assert selectors.film_localized(film=film, language="tpi")["title"] == "Pukpuk Pikinini King"
    assert selectors.film_localized(film=film, language="fr")["title"] == "The Crocodile Prince"
    assert "Kila Bona" in Film.objects.get(pk=film.pk).search_text


def test_poster_renditions_are_made_at_each_width(creator):
    film = _film(creator)
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 1500), "teal").save(buffer, format="PNG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.film_image_set(
        film=film, by=creator, kind="poster", upload=SimpleUploadedFile("p.png", buffer.getvalue(), "image/png")
    )

    sizes = list(FilmImage.objects.filter(film=film).values_list("kind", "width", "height"))
    assert sizes == [("poster", 185, 278), ("poster", 342, 513), ("poster", 780, 1170)]
    assert Film.objects.get(pk=film.pk).poster.name.startswith("posters/")
    for image in FilmImage.objects.filter(film=film):
        with Image.open(image.image.path) as stored:
            assert stored.size == (image.width, image.height)
            assert stored.format == "JPEG"


def _published(creator, staff, title, **data):
    return film_published(creator=creator, staff=staff, title=title, **data)


def test_search_finds_by_substring_and_by_credit(creator, staff):
    _published(creator, staff, "The Crocodile Prince", credits=[{"name": "Kila Bona", "role": "director"}])
    _published(creator, staff, "Sepik River Songs")

    def titles(q):
        return [f.title for f in selectors.films_list(user=None, filters=selectors.FilmFilters(q=q))]

    assert titles("crocodile") == ["The Crocodile Prince"]
    assert titles("Kila Bona") == ["The Crocodile Prince"]
    assert titles("sepik") == ["Sepik River Songs"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text and trigram search are Postgres features")
def test_search_on_postgres_tolerates_typos_and_ranks_title_matches_first(creator, staff):
    _published(creator, staff, "The Crocodile Prince")
    _published(creator, staff, "River Tales", synopsis="A crocodile watches the village from the river.")
    _published(creator, staff, "Sepik River Songs")

    def titles(q):
        return [f.title for f in selectors.films_list(user=None, filters=selectors.FilmFilters(q=q))]

    assert titles("crocodle") == ["The Crocodile Prince", "River Tales"]
    assert titles("crocodile")[0] == "The Crocodile Prince"
    assert titles("sepik rivr") == ["Sepik River Songs"]


def test_filters(creator, staff):
    drama = services.genre_get_or_create(name="Drama")
    _published(creator, staff, "Old Drama", genres=[drama], release_year=2001, maturity=20, production_countries=["AU"])
    _published(creator, staff, "New Tok Pisin", release_year=2024, original_language="tpi", production_countries=["PG"])

    def titles(**kwargs):
        return sorted(f.title for f in selectors.films_list(user=None, filters=selectors.FilmFilters(**kwargs)))

    assert titles(genre="drama") == ["Old Drama"]
    assert titles(language="tpi") == ["New Tok Pisin"]
    assert titles(year_min=2010) == ["New Tok Pisin"]
    assert titles(year_max=2010) == ["Old Drama"]
    assert titles(country="PG") == ["New Tok Pisin"]
    assert titles(maturity_max=10) == ["New Tok Pisin"]
    assert Genre.objects.count() == 1
