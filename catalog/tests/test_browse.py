"""The film list as a viewer sees it: territory, profile, filters, and a fixed number of queries."""


import pytest
from rest_framework.test import APIClient

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
