import io

import pytest
from PIL import Image
from rest_framework.test import APIClient

from catalog import services
from catalog.models import Film, FilmStatus
from core.testing.films import media_rows

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def drama(db):
    return services.genre_get_or_create(name="Drama")


FILM = {
    "title": "Kokoda Dawn",
    "tagline": "Before the sun",
    "synopsis": "Two brothers walk the track.",
    "runtime_minutes": 112,
    "release_year": 2021,
    "maturity": "M",
    "original_language": "en",
    "audio_languages": ["en", "tpi"],
    "production_countries": ["PG", "AU"],
    "genres": ["drama"],
    "tags": ["war"],
    "credits": [{"name": "Kila Bona", "role": "director"}, {"name": "Mari Tau", "role": "cast", "character": "Mary"}],
    "translations": [{"language": "tpi", "title": "Moning long Kokoda", "synopsis": "Tupela brata i wokabaut."}],
}


def test_creator_creates_a_draft(creator, drama):
    response = client_for(creator).post("/api/films", FILM, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["slug"], body["maturity"]) == ("draft", "kokoda-dawn", "M")
    assert body["genres"] == [{"slug": "drama", "name": "Drama", "name_tpi": ""}]
    assert body["credits"][1] == {"name": "Mari Tau", "role": "cast", "character": "Mary"}
    assert body["production_countries"] == ["PG", "AU"]
    assert Film.objects.get(pk=body["id"]).creator == creator


def test_viewer_cannot_create_films(make_user, drama):
    response = client_for(make_user("viewer")).post("/api/films", FILM, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Film.objects.exists()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"title": ""}, "title"),
        ({"title": "t" * 10_000}, "title"),
        ({"maturity": "X18"}, "maturity"),
        ({"release_year": 1700}, "release_year"),
        ({"runtime_minutes": -5}, "runtime_minutes"),
        ({"genres": ["no-such-genre"]}, "genres"),
        ({"production_countries": ["ZZ"]}, "production_countries.0"),
        ({"audio_languages": ["English!"]}, "audio_languages.0"),
        ({"credits": [{"name": "A", "role": "caterer"}]}, "credits.0.role"),
        ({"translations": [{"language": "tpi", "title": "a"}, {"language": "tpi", "title": "b"}]}, "translations"),
        ({"release_year": "nineteen"}, "release_year"),
    ],
)
def test_bad_film_input_is_400_naming_the_field(creator, drama, change, field):
    response = client_for(creator).post("/api/films", {**FILM, **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Film.objects.exists()


def _create(client) -> dict:
    response = client.post("/api/films", FILM, format="json")
    assert response.status_code == 201
    return response.json()


def test_owner_patches_and_another_creator_cannot(creator, make_user, drama):
    film = _create(client_for(creator))

    ok = client_for(creator).patch(f"/api/films/{film['id']}", {"title": "Kokoda Sunrise"}, format="json")
    intruder = client_for(make_user("creator")).patch(f"/api/films/{film['id']}", {"title": "Hijacked"}, format="json")

    assert ok.status_code == 200
    assert ok.json()["title"] == "Kokoda Sunrise"
    assert intruder.status_code == 404  # another creator's draft is not visible to them
    assert Film.objects.get(pk=film["id"]).title == "Kokoda Sunrise"


def test_review_flow_over_the_api(creator, staff, drama):
    film = _create(client_for(creator))

    assert client_for(creator).post(f"/api/films/{film['id']}/approve").status_code == 403
    assert client_for(creator).post(f"/api/films/{film['id']}/submit").json()["status"] == "in_review"
    rejected = client_for(staff).post(f"/api/films/{film['id']}/reject", {"reason": "Needs subtitles."}, format="json")
    assert rejected.json()["status"] == "draft"
    client_for(creator).post(f"/api/films/{film['id']}/submit")
    not_ready = client_for(staff).post(f"/api/films/{film['id']}/approve")
    assert (not_ready.status_code, not_ready.json()["error"]["code"]) == (409, "media_not_ready")
    assert "upload the feature" in not_ready.json()["error"]["message"]
    assert Film.objects.get(pk=film["id"]).status == FilmStatus.IN_REVIEW
    media_rows(Film.objects.get(pk=film["id"]), by=creator)
    assert client_for(staff).post(f"/api/films/{film['id']}/approve").json()["status"] == "published"
    again = client_for(staff).post(f"/api/films/{film['id']}/approve")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"


def test_reject_without_reason_is_400(creator, staff, drama):
    film = _create(client_for(creator))
    client_for(creator).post(f"/api/films/{film['id']}/submit")

    response = client_for(staff).post(f"/api/films/{film['id']}/reject", {}, format="json")

    assert response.status_code == 400
    reason = ["Say why the film is sent back, so the creator can fix it."]
    assert response.json()["error"]["fields"] == {"reason": reason}
    assert Film.objects.get(pk=film["id"]).status == FilmStatus.IN_REVIEW


def test_delete_draft_and_archive_published(creator, staff, drama):
    draft, published = _create(client_for(creator)), _create(client_for(creator))
    client_for(creator).post(f"/api/films/{published['id']}/submit")
    media_rows(Film.objects.get(pk=published["id"]), by=creator)
    client_for(staff).post(f"/api/films/{published['id']}/approve")

    assert client_for(creator).delete(f"/api/films/{draft['id']}").status_code == 204
    refused = client_for(creator).delete(f"/api/films/{published['id']}")
    assert refused.status_code == 409
    archived = client_for(staff).delete(f"/api/films/{published['id']}")
    assert archived.status_code == 200
    assert archived.json()["status"] == "archived"
    assert not Film.objects.filter(pk=draft["id"]).exists()


def test_unarchive_over_the_api_needs_playable_media(creator, staff, film):
    from django.apps import apps

    client_for(staff).post(f"/api/films/{film.pk}/archive")
    apps.get_model("transcoding", "Job").objects.filter(film=film).delete()

    refused = client_for(staff).post(f"/api/films/{film.pk}/unarchive")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "media_not_ready")
    assert Film.objects.get(pk=film.pk).status == FilmStatus.ARCHIVED
    media_rows(film, by=creator)
    assert client_for(staff).post(f"/api/films/{film.pk}/unarchive").json()["status"] == "published"


def test_drafts_are_hidden_from_viewers_and_anonymous(creator, make_user, drama):
    film = _create(client_for(creator))

    assert APIClient().get(f"/api/films/{film['id']}").status_code == 404
    assert client_for(make_user("viewer")).get(f"/api/films/{film['slug']}").status_code == 404
    assert client_for(creator).get(f"/api/films/{film['slug']}").status_code == 200


def test_mine_lists_the_creators_films_in_every_state(creator, make_user, drama):
    _create(client_for(creator))
    _create(client_for(make_user("creator")))

    body = client_for(creator).get("/api/films?mine=true").json()

    assert body["count"] == 1
    assert body["results"][0]["status"] == "draft"


def test_poster_upload_makes_renditions(creator, drama):
    film = _create(client_for(creator))
    buffer = io.BytesIO()
    Image.new("RGB", (800, 1200), "purple").save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = "poster.jpg"

    response = client_for(creator).post(
        f"/api/films/{film['id']}/images", {"kind": "poster", "image": buffer}, format="multipart"
    )

    assert response.status_code == 200
    assert sorted(response.json()["poster"]) == ["185w", "342w", "780w"]


def test_genres_list(drama):
    services.genre_get_or_create(name="Comedy", name_tpi="Komedi")

    body = APIClient().get("/api/genres").json()

    assert [g["slug"] for g in body["results"]] == ["comedy", "drama"]


def test_unknown_genre_is_404(db):
    response = APIClient().get("/api/films/genre/nothing")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_posting_to_a_genre_list_is_405_and_adds_nothing(creator, drama):
    films_before = Film.objects.count()

    response = client_for(creator).post("/api/films/genre/drama", {"title": "Under a genre"}, format="json")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert Film.objects.count() == films_before
