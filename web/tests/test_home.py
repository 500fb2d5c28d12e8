"""The home page: hero and rows, only films the viewer may see, in a fixed number of queries."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings

from accounts import services as account_services
from catalog import services as catalog_services

pytestmark = pytest.mark.django_db


def row_titles(html: str, key: str) -> list[str]:
    """Film titles on the row whose heading id is row-<key>."""
    match = re.search(rf'<section class="row" aria-labelledby="row-{key}">(.*?)</section>', html, re.S)
    if match is None:
        return []
    return re.findall(r'<span class="card-title">([^<]+)</span>', match.group(1))


@pytest.fixture
def catalog(publish):
    films = {
        "free": publish("Free Reef", window="avod", genres=["Documentary"]),
        "rent": publish("Rent River", window="tvod", genres=["Drama"]),
        "festival": publish("Festival Song", window="festival", genres=["Music"]),
        "coming": publish("Coming Canoe", window="svod", start_days=30, genres=["Drama"]),
        "abroad": publish("Sydney Only", window="avod", territories="AU", genres=["Drama"]),
        "adult": publish("Late Night", window="avod", maturity=40, genres=["Drama"]),
    }
    return films


def test_guest_sees_rows_of_films_in_their_territory(guest, catalog):
    html = guest.get("/").content.decode()

    assert row_titles(html, "new") == ["Late Night", "Festival Song", "Rent River", "Free Reef"]
    assert sorted(row_titles(html, "free")) == ["Festival Song", "Free Reef", "Late Night"]
    assert row_titles(html, "festival") == ["Festival Song"]
    assert row_titles(html, "coming") == ["Coming Canoe"]
    assert sorted(row_titles(html, "genre-drama")) == ["Coming Canoe", "Late Night", "Rent River"]
    assert "Sydney Only" not in html
    assert 'href="/accounts/signup/"' in html


def test_rows_follow_the_viewers_country(catalog):
    from django.test import Client

    html = Client(HTTP_CF_IPCOUNTRY="AU").get("/").content.decode()

    assert row_titles(html, "free") == ["Sydney Only"]
    assert "Free Reef" not in html


def test_a_single_profile_is_chosen_without_asking(viewer_user):
    from django.test import Client

    client = Client()
    client.post("/accounts/login/", {"login": viewer_user.email, "password": "correct-horse-battery-9"})

    response = client.get("/")

    assert response.status_code == 200
    assert client.session["wans_profile_id"] == viewer_user.profiles.get().pk


def test_signed_in_viewer_without_a_profile_chosen_is_asked_who_is_watching(viewer_user):
    from django.test import Client

    account_services.profile_create(user=viewer_user, name="Second")
    client = Client()
    client.post("/accounts/login/", {"login": viewer_user.email, "password": "correct-horse-battery-9"})

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/profiles/?next=/"


def test_kids_profile_sees_only_films_within_its_limit(signed_in, viewer_user, catalog):
    kids = account_services.profile_create(user=viewer_user, name="Kids", is_kids=True)
    signed_in.post(f"/profiles/{kids.pk}/choose")

    html = signed_in.get("/").content.decode()

    assert "Late Night" not in html
    assert "Free Reef" in html


def test_my_list_row_shows_the_profiles_saved_films(signed_in, catalog):
    catalog_services.my_list_add(profile=signed_in.profile, film_id=catalog["rent"].pk)

    html = signed_in.get("/").content.decode()

    assert row_titles(html, "my-list") == ["Rent River"]


def test_hero_is_the_featured_film(guest, catalog, staff):
    catalog_services.film_update(film=catalog["rent"], by=staff, data={"featured": True})

    html = guest.get("/").content.decode()

    hero = re.search(r'<h1 id="hero-title">([^<]+)</h1>', html).group(1)
    assert hero == "Rent River"
    assert "Rent PGK 15.00" in html  # the hero's main action


def test_home_renders_in_a_fixed_number_of_queries(signed_in, publish, django_assert_max_num_queries):
    for n, window in enumerate(["avod", "tvod", "svod"]):  # every kind the entitlement provider asks about
        publish(f"Film {n}", window=window, genres=["Drama", "Comedy", "Music", "Action"])
    signed_in.get("/")  # warm the session
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(26) as few:
        signed_in.get("/")
    for n in range(3, 15):  # more films, more windows of other kinds, the same number of rows
        publish(f"Film {n}", window="tvod" if n % 2 else "festival", genres=["Drama", "Music", "Action", "Family"])
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        signed_in.get("/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_home_rows_are_cached_per_territory_and_limit(guest, catalog, django_assert_max_num_queries):
    guest.get("/")
    with django_assert_max_num_queries(8):
        response = guest.get("/")
    assert "Rent River" in response.content.decode()


def test_home_page_html_css_and_js_are_under_150_kb_compressed(guest, publish):
    for n in range(40):
        publish(f"A film with a long enough title number {n}", window="avod", genres=["Drama", "Comedy", "Music"])
    html = guest.get("/").content
    static = Path(settings.BASE_DIR) / "static"
    css = (static / "css" / "wans.css").read_bytes()
    js = (static / "js" / "wans.js").read_bytes()

    total = sum(len(gzip.compress(part, compresslevel=6)) for part in (html, css, js))

    assert b"A film with a long enough title number 39" in html
    assert total < 150 * 1024


def test_continue_watching_row_shows_progress_of_films_still_shown_here(signed_in, publish, monkeypatch):
    from types import SimpleNamespace

    from playback import selectors as playback_selectors

    half = publish("Half Watched", window="avod")
    abroad = publish("Watched Abroad", window="avod", territories="AU")
    rows = [
        SimpleNamespace(film_id=abroad.pk, position_seconds=10, duration_seconds=100),
        SimpleNamespace(film_id=half.pk, position_seconds=30, duration_seconds=60),
    ]
    asked = []

    def continue_watching(*, profile_id, limit=20):
        asked.append((profile_id, limit))
        return rows

    monkeypatch.setattr(playback_selectors, "continue_watching", continue_watching)

    html = signed_in.get("/").content.decode()

    assert asked == [(signed_in.profile.pk, 20)]
    assert row_titles(html, "continue") == ["Half Watched"]
    assert 'aria-valuenow="50"' in html


def test_home_in_tok_pisin_for_a_tok_pisin_profile(signed_in, publish):
    from accounts import services as account_services

    publish("Free Reef", window="avod", genres=["Documentary"])
    account_services.profile_update(profile=signed_in.profile, language="tpi")
    signed_in.post(f"/profiles/{signed_in.profile.pk}/choose")

    html = signed_in.get("/").content.decode()

    assert "Nupela piksa" in html  # New releases
    assert "Fri long lukluk" in html  # Free to watch


def test_coming_soon_leaves_out_films_in_cinemas_now_and_has_see_all(guest, catalog, publish):
    in_cinemas = publish("Big Screen", window="cinema", start_days=-3)
    publish.add_window(in_cinemas, "svod", start_days=40)

    html = guest.get("/").content.decode()

    assert row_titles(html, "coming") == ["Coming Canoe"]
    assert '<a class="row-more" href="/coming-soon/">See all<span class="visually-hidden"> Coming soon' in html
    page = guest.get("/coming-soon/").content.decode()
    assert re.findall(r'<span class="card-title">([^<]+)</span>', page) == ["Coming Canoe"]
