"""The storefront API (web/api): the film list and detail as a viewer sees them (territory, profile, filters, a
fixed number of queries), decided by the same viewer and visibility rule as the site's pages."""


import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts import selectors as account_selectors
from accounts import services as account_services
from catalog import services

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(film["title"] for film in response.json()["results"])


def test_list_shows_films_open_or_coming_in_the_viewers_territory(publish):
    publish("Open in PNG")
    publish("Coming to PNG", start_days=30)
    publish("Only in Australia", territories="AU")
    publish("No windows at all", window=None)

    assert titles(APIClient().get("/api/films", HTTP_CF_IPCOUNTRY="PG")) == ["Coming to PNG", "Open in PNG"]
    assert titles(APIClient().get("/api/films", HTTP_CF_IPCOUNTRY="AU")) == ["Only in Australia"]


def test_availability_filter(publish):
    publish("Free one")
    publish("Rent one", window="tvod")

    assert titles(APIClient().get("/api/films?availability=rent", HTTP_CF_IPCOUNTRY="PG")) == ["Rent one"]
    assert titles(APIClient().get("/api/films?availability=free,rent", HTTP_CF_IPCOUNTRY="PG")) == [
        "Free one",
        "Rent one",
    ]


def test_kids_profile_sees_only_films_at_or_below_its_limit(publish, make_user):
    publish("Family film", maturity=0)
    publish("Grown-up film", maturity=40)
    viewer = make_user("viewer")
    kids = account_services.profile_create(user=viewer, name="Kids", is_kids=True)
    client = APIClient()
    client.force_authenticate(viewer)

    assert titles(client.get("/api/films", HTTP_X_PROFILE_ID=str(kids.pk))) == ["Family film"]
    assert titles(client.get("/api/films")) == ["Family film", "Grown-up film"]
    grown_up = client.get("/api/films").json()["results"]
    hidden = next(f for f in grown_up if f["title"] == "Grown-up film")
    assert client.get(f"/api/films/{hidden['id']}", HTTP_X_PROFILE_ID=str(kids.pk)).status_code == 404


def test_titles_follow_the_profiles_language(publish, make_user):
    publish("The Crocodile Prince", translations=[{"language": "tpi", "title": "Pukpuk Pikinini King"}])
    viewer = make_user("viewer")
    wantok = account_services.profile_create(user=viewer, name="Wantok", language="tpi")
    client = APIClient()
    client.force_authenticate(viewer)

    assert titles(client.get("/api/films", HTTP_X_PROFILE_ID=str(wantok.pk))) == ["Pukpuk Pikinini King"]
    assert titles(client.get("/api/films")) == ["The Crocodile Prince"]


def test_search_and_sort_over_the_api(publish):
    publish("Bilum", release_year=2025)
    publish("Tumbuna", release_year=2020)

    assert titles(APIClient().get("/api/films?q=bilum")) == ["Bilum"]
    assert [f["title"] for f in APIClient().get("/api/films?sort=title").json()["results"]] == ["Bilum", "Tumbuna"]


def test_genre_endpoint(publish):
    drama = services.genre_get_or_create(name="Drama")
    publish("A drama", genres=[drama])
    publish("Not a drama")

    assert titles(APIClient().get("/api/films/genre/drama")) == ["A drama"]


@pytest.mark.parametrize(
    "query,field",
    [
        ("year_min=2020&year_max=2010", "year_max"),
        ("year_min=abc", "year_min"),
        ("maturity=X", "maturity"),
        ("availability=stolen", "availability"),
        ("country=ZZ", "country"),
        ("sort=random", "sort"),
        ("page_size=0", "page_size"),
        ("page_size=null", "page_size"),
        ("page=abc", "page"),
    ],
)
def test_bad_list_queries_are_400_naming_the_field(publish, query, field):
    publish("Anything")

    response = APIClient().get(f"/api/films?{query}")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_list_costs_a_fixed_number_of_queries_whatever_the_page_size(publish, django_assert_num_queries):
    drama = services.genre_get_or_create(name="Drama")
    for n in range(12):
        publish(
            f"Film {n:02d}",
            genres=[drama],
            credits=[{"name": f"Person {n}", "role": "director"}],
            translations=[{"language": "tpi", "title": f"Piksa {n}"}],
        )
    client = APIClient()

    with django_assert_num_queries(7) as small:
        client.get("/api/films?page_size=2", HTTP_CF_IPCOUNTRY="PG")
    with django_assert_num_queries(7) as large:
        response = client.get("/api/films?page_size=12", HTTP_CF_IPCOUNTRY="PG")

    assert len(response.json()["results"]) == 12
    assert len(small.captured_queries) == len(large.captured_queries)


def test_api_film_detail_is_404_out_of_the_viewers_territory_like_the_site(publish, make_user):
    film = publish("Only in Australia", territories="AU")
    viewer = make_user("viewer")
    api = APIClient()
    api.force_authenticate(viewer)
    site = Client()
    site.force_login(viewer)

    assert api.get(f"/api/films/{film.pk}", HTTP_CF_IPCOUNTRY="PG").status_code == 404
    assert api.get(f"/api/films/{film.slug}", HTTP_CF_IPCOUNTRY="PG").status_code == 404
    assert APIClient().get(f"/api/films/{film.pk}", HTTP_CF_IPCOUNTRY="PG").status_code == 404
    assert site.get(f"/film/{film.slug}/", HTTP_CF_IPCOUNTRY="PG").status_code == 404
    inside = api.get(f"/api/films/{film.pk}", HTTP_CF_IPCOUNTRY="AU")
    assert inside.status_code == 200
    assert inside.json()["title"] == "Only in Australia"
    assert site.get(f"/film/{film.slug}/", HTTP_CF_IPCOUNTRY="AU").status_code == 200


def test_api_film_detail_without_any_window_is_404_for_viewers_and_shown_to_its_creator_and_staff(
    publish, creator, staff
):
    film = publish("No windows at all", window=None)

    assert APIClient().get(f"/api/films/{film.pk}", HTTP_CF_IPCOUNTRY="PG").status_code == 404
    for user in (creator, staff):
        client = APIClient()
        client.force_authenticate(user)
        response = client.get(f"/api/films/{film.pk}", HTTP_CF_IPCOUNTRY="PG")
        assert response.status_code == 200
        assert response.json()["id"] == film.pk


def test_api_film_detail_uses_the_profile_the_site_session_chose(publish, make_user):
    publish("Grown-up film", maturity=40)
    viewer = make_user("viewer")
    kids = account_services.profile_create(user=viewer, name="Kids", is_kids=True)
    client = APIClient()
    client.force_login(viewer)
    session = client.session
    session[account_selectors.PROFILE_SESSION_KEY] = kids.pk
    session.save()

    assert client.get("/api/films/grown-up-film", HTTP_CF_IPCOUNTRY="PG").status_code == 404
    adult = account_selectors.profiles_for(user=viewer).exclude(pk=kids.pk).get()
    response = client.get("/api/films/grown-up-film", HTTP_CF_IPCOUNTRY="PG", HTTP_X_PROFILE_ID=str(adult.pk))
    assert response.status_code == 200
