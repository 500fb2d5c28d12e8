"""Browse, film pages, search and My List: the right films for territory, profile and maturity; fixed queries."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from accounts import services as account_services
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<span class="card-title">([^<]+)</span>', response.content.decode())


# --- browse -----------------------------------------------------------------------------------------------------


def test_browse_filters_by_genre_and_access_type(guest, publish):
    publish("Free Drama", window="avod", genres=["Drama"])
    publish("Rented Drama", window="tvod", genres=["Drama"])
    publish("Rented Comedy", window="tvod", genres=["Comedy"])
    publish("Abroad Drama", window="tvod", territories="AU", genres=["Drama"])

    assert titles(guest.get("/browse/drama/?access=rent")) == ["Rented Drama"]
    assert sorted(titles(guest.get("/browse/?access=rent"))) == ["Rented Comedy", "Rented Drama"]
    assert sorted(titles(guest.get("/browse/?access=rent&access=free&sort=title"))) == [
        "Free Drama",
        "Rented Comedy",
        "Rented Drama",
    ]


def test_browse_filters_by_language_year_and_country(guest, publish):
    publish("Tok Pisin Film", original_language="tpi", release_year=2024, production_countries=["PG"])
    publish("English Film", original_language="en", release_year=2019, production_countries=["AU"])

    assert titles(guest.get("/browse/?language=tpi")) == ["Tok Pisin Film"]
    assert titles(guest.get("/browse/?year_min=2020")) == ["Tok Pisin Film"]
    assert titles(guest.get("/browse/?year_max=2020")) == ["English Film"]
    assert titles(guest.get("/browse/?country=AU")) == ["English Film"]


def test_browse_sorts_by_title(guest, publish):
    for title in ("Bravo", "Alpha", "Charlie"):
        publish(title)

    assert titles(guest.get("/browse/?sort=title")) == ["Alpha", "Bravo", "Charlie"]


def test_browse_pagination_keeps_the_filters(guest, publish, settings):
    settings.WEB_PAGE_SIZE = 2
    for n in range(5):
        publish(f"Rental {n}", window="tvod")
    publish("Free one")

    first = guest.get("/browse/?access=rent&sort=title")
    html = first.content.decode()

    assert titles(first) == ["Rental 0", "Rental 1"]
    next_href = re.search(r'rel="next" href="\?([^"]+)"', html).group(1).replace("&amp;", "&")
    assert next_href == "access=rent&sort=title&page=2"
    assert titles(guest.get("/browse/?" + next_href)) == ["Rental 2", "Rental 3"]
    assert titles(guest.get("/browse/?access=rent&sort=title&page=99")) == ["Rental 4"]  # past the end: the last


def test_browse_with_bad_filters_shows_a_message_not_an_error(guest, publish):
    publish("Still listed")

    response = guest.get("/browse/?year_min=soon&sort=sideways&access=stolen&page=-3")

    assert titles(response) == ["Still listed"]
    assert "Some filters were not understood" in response.content.decode()


def test_browse_unknown_genre_is_404(guest):
    assert guest.get("/browse/no-such-genre/").status_code == 404


def test_browse_renders_in_a_fixed_number_of_queries(signed_in, publish, django_assert_max_num_queries):
    publish("One", window="tvod", genres=["Drama"])
    publish("Two", window="svod", genres=["Drama"])
    signed_in.get("/browse/")
    with django_assert_max_num_queries(16) as few:
        signed_in.get("/browse/?sort=title")
    for n in range(20):
        publish(f"Film {n}", window=["tvod", "svod", "avod", "pvod"][n % 4], genres=["Drama", "Music"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get("/browse/?sort=title")


# --- film page --------------------------------------------------------------------------------------------------


def test_film_page_says_how_to_rent_it(guest, publish):
    film = publish("Rent River", window="tvod", synopsis="A river story.", genres=["Drama"])

    html = guest.get(f"/film/{film.slug}/").content.decode()

    assert "Rent for PGK 15.00 · 48 hours to watch" in html
    assert "A river story." in html
    assert f'href="/checkout/offer/{film.windows.get().pk}/"' in html


def test_film_page_in_cinemas_and_coming_to_subscription(guest, publish):
    film = publish("Big Screen", window="cinema", start_days=-2, end_days=20)
    publish.add_window(film, "svod", start_days=40)
    now = timezone.now()

    html = guest.get(f"/film/{film.slug}/").content.decode()

    until = date_format(now + timedelta(days=20), "j F" if (now + timedelta(days=20)).year == now.year else "j F Y")
    starts = now + timedelta(days=40)
    on = date_format(starts, "j F" if starts.year == now.year else "j F Y")
    assert f"In cinemas in PNG until {until}" in html
    assert f"Coming to subscription on {on}" in html


def test_film_page_free_film_has_play(signed_in, publish):
    film = publish("Free Reef", window="avod")

    html = signed_in.get(f"/film/{film.slug}/").content.decode()

    assert "Free to watch" in html
    assert f'href="/watch/{film.slug}/">▶ Play</a>' in html


def test_a_free_film_leads_a_visitor_to_sign_up_and_back_to_the_film(guest, publish):
    film = publish("Free Reef", window="avod")

    html = guest.get(f"/film/{film.slug}/").content.decode()

    assert "Free with a WANS account" in html and "Free to watch" not in html
    assert f'href="/accounts/signup/?next=/film/{film.slug}/">Join free to watch</a>' in html
    assert f'href="/accounts/login/?next=/film/{film.slug}/">Sign in</a>' in html
    assert "/watch/" not in html


def test_film_page_in_tok_pisin_uses_the_translation(signed_in, viewer_user, publish):
    film = publish(
        "Canoe of Stars",
        synopsis="English synopsis.",
        translations=[{"language": "tpi", "title": "Kanu bilong Sta", "synopsis": "Stori long Tok Pisin."}],
    )
    catalog_services.film_search_reindex(film=film)
    account_services.profile_update(profile=signed_in.profile, language="tpi")
    signed_in.post(f"/profiles/{signed_in.profile.pk}/choose")

    html = signed_in.get(f"/film/{film.slug}/").content.decode()

    assert "Kanu bilong Sta" in html
    assert "Stori long Tok Pisin." in html
    assert '<html lang="tpi"' in html


def test_film_not_shown_here_is_404(guest, publish):
    film = publish("Sydney Only", territories="AU")

    assert guest.get(f"/film/{film.slug}/").status_code == 404
    assert Client(HTTP_CF_IPCOUNTRY="AU").get(f"/film/{film.slug}/").status_code == 200


def test_film_above_the_profiles_limit_is_404(signed_in, viewer_user, publish):
    film = publish("Late Night", maturity=40)
    kids = account_services.profile_create(user=viewer_user, name="Kids", is_kids=True)
    signed_in.post(f"/profiles/{kids.pk}/choose")

    assert signed_in.get(f"/film/{film.slug}/").status_code == 404


def test_draft_film_is_404(guest, creator):
    film = catalog_services.film_create(creator=creator, data={"title": "Unfinished"})

    assert guest.get(f"/film/{film.slug}/").status_code == 404


def test_more_like_this_lists_films_sharing_genres(guest, publish):
    film = publish("Main", genres=["Drama", "Music"])
    publish("Both genres", genres=["Drama", "Music"])
    publish("One genre", genres=["Music"])
    publish("Other genre", genres=["Comedy"])
    publish("Abroad", genres=["Drama", "Music"], territories="AU")

    html = guest.get(f"/film/{film.slug}/").content.decode()

    similar = html.split('id="row-similar"', 1)[1]
    assert re.findall(r'<span class="card-title">([^<]+)</span>', similar) == ["Both genres", "One genre"]


def test_film_page_renders_in_a_fixed_number_of_queries(signed_in, publish, django_assert_max_num_queries):
    film = publish("Main", window="tvod", genres=["Drama"])
    publish("Other", window="svod", genres=["Drama"])
    signed_in.get(f"/film/{film.slug}/")
    with django_assert_max_num_queries(22) as few:
        signed_in.get(f"/film/{film.slug}/")
    for n in range(10):
        publish(f"Similar {n}", window=["tvod", "svod", "avod", "pvod"][n % 4], genres=["Drama"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(f"/film/{film.slug}/")


# --- search -----------------------------------------------------------------------------------------------------


def test_search_page_finds_films_by_title_and_person(guest, publish):
    film = publish("Kokoda Dawn", credits=[{"name": "Rose Wambi", "role": "director"}])
    catalog_services.film_search_reindex(film=film)
    publish("Other")

    assert titles(guest.get("/search/?q=Kokoda")) == ["Kokoda Dawn"]
    assert titles(guest.get("/search/?q=Wambi")) == ["Kokoda Dawn"]


@pytest.fixture
def typo_shelf(publish):
    publish("The Crocodile Prince", credits=[{"name": "Mary Kaupa", "role": "director"}],
            translations=[{"language": "tpi", "title": "Pukpuk Pikinini King"}])
    publish("Sepik River Songs")
    publish("Kokoda Dawn")
    publish("Reef Keepers")


@pytest.mark.parametrize(
    "typed,found,meant",
    [
        ("crocodle", "The Crocodile Prince", "crocodile"),
        ("sepik rivr", "Sepik River Songs", "sepik river"),
        ("kokda", "Kokoda Dawn", "kokoda"),
        ("Mary Kupa", "The Crocodile Prince", "mary kaupa"),  # a person
        ("pukpuk pikinni", "The Crocodile Prince", "pukpuk pikinini"),  # the Tok Pisin title
    ],
)
def test_search_tolerates_typos_on_this_database(guest, typo_shelf, typed, found, meant):
    """The same queries on SQLite (the embedded default) and on Postgres (CI): whichever runs the suite."""
    response = guest.get("/search/", {"q": typed})

    assert titles(response)[0] == found
    html = response.content.decode()
    assert re.search(r'Did you mean <a href="/search/\?q=([^"]+)"><strong>([^<]+)</strong></a>\?', html).groups() == (
        meant.replace(" ", "%20"), meant
    )
    assert found in guest.get("/search/suggest", {"q": typed}).content.decode()  # as you type, too


def test_a_correctly_spelt_search_suggests_nothing(guest, typo_shelf):
    response = guest.get("/search/", {"q": "sepik river"})

    assert titles(response) == ["Sepik River Songs"]
    assert "Did you mean" not in response.content.decode()


def test_a_word_unlike_any_in_the_catalogue_finds_nothing_and_suggests_nothing(guest, typo_shelf):
    response = guest.get("/search/", {"q": "zzqxv"})

    assert titles(response) == [] and "Did you mean" not in response.content.decode()


def test_search_leaves_out_films_not_shown_here(guest, publish):
    publish("Reef Keepers", territories="AU")

    assert titles(guest.get("/search/?q=Reef")) == []


def test_search_suggest_is_a_small_fragment(guest, publish):
    publish("Reef Keepers")

    response = guest.get("/search/suggest?q=Reef")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Reef Keepers" in html
    assert guest.get("/search/suggest?q=R").content.decode().strip() == ""


def test_search_renders_in_a_fixed_number_of_queries(guest, publish, django_assert_max_num_queries):
    for n in range(12):
        publish(f"Reef {n}")
    with django_assert_max_num_queries(10):
        guest.get("/search/?q=Reef")
    with django_assert_max_num_queries(12):  # a corrected query: one more search (the vocabulary is cached)
        guest.get("/search/?q=Reff")


# --- My List ----------------------------------------------------------------------------------------------------


def test_add_and_remove_from_my_list(signed_in, publish):
    film = publish("Save Me")

    added = signed_in.post(f"/my-list/{film.pk}/", {"action": "add"}, HTTP_ACCEPT="application/json")
    assert added.json() == {"film_id": film.pk, "in_list": True}
    assert titles(signed_in.get("/my-list/")) == ["Save Me"]
    assert 'aria-pressed="true"' in signed_in.get(f"/film/{film.slug}/").content.decode()

    removed = signed_in.post(f"/my-list/{film.pk}/", {"action": "remove", "next": f"/film/{film.slug}/"})
    assert removed.status_code == 302
    assert removed["Location"] == f"/film/{film.slug}/"
    assert titles(signed_in.get("/my-list/")) == []


def test_my_list_is_per_profile(signed_in, viewer_user, publish):
    film = publish("Save Me")
    signed_in.post(f"/my-list/{film.pk}/", {"action": "add"})
    other = account_services.profile_create(user=viewer_user, name="Other")
    signed_in.post(f"/profiles/{other.pk}/choose")

    assert titles(signed_in.get("/my-list/")) == []


def test_cannot_add_a_film_not_shown_here(signed_in, publish):
    film = publish("Sydney Only", territories="AU")

    response = signed_in.post(f"/my-list/{film.pk}/", {"action": "add"}, HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert catalog_selectors.my_list_for(profile_id=signed_in.profile.pk) == []


def test_my_list_needs_sign_in_and_a_valid_action(guest, signed_in, publish):
    film = publish("Save Me")

    assert guest.post(f"/my-list/{film.pk}/", {"action": "add"}).status_code == 302
    bad = signed_in.post(f"/my-list/{film.pk}/", {"action": "steal"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"action": []}
    assert catalog_selectors.my_list_for(profile_id=signed_in.profile.pk) == []


def test_my_list_redirect_refuses_other_sites(signed_in, publish):
    film = publish("Save Me")

    response = signed_in.post(f"/my-list/{film.pk}/", {"action": "add", "next": "https://evil.example/"})

    assert response["Location"] == "/my-list/"


def test_my_list_add_is_idempotent(signed_in, publish):
    film = publish("Save Me")

    assert catalog_services.my_list_add(profile=signed_in.profile, film_id=film.pk) is True
    assert catalog_services.my_list_add(profile=signed_in.profile, film_id=film.pk) is False
    assert catalog_selectors.my_list_for(profile_id=signed_in.profile.pk) == [film.pk]


def test_my_list_page_renders_in_a_fixed_number_of_queries(signed_in, publish, django_assert_max_num_queries):
    for n, window in enumerate(["avod", "tvod", "svod"]):
        catalog_services.my_list_add(profile=signed_in.profile, film_id=publish(f"Saved {n}", window=window).pk)
    signed_in.get("/my-list/")
    with django_assert_max_num_queries(14) as few:
        signed_in.get("/my-list/")
    for n in range(3, 15):
        film = publish(f"Saved {n}", window=["avod", "tvod", "svod", "pvod"][n % 4])
        catalog_services.my_list_add(profile=signed_in.profile, film_id=film.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(titles(signed_in.get("/my-list/"))) == 15


def test_profiles_page_renders_in_a_fixed_number_of_queries(signed_in, viewer_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        signed_in.get("/profiles/")
    for n in range(4):
        account_services.profile_create(user=viewer_user, name=f"P{n}")
    with django_assert_max_num_queries(6):
        assert signed_in.get("/profiles/").content.decode().count('class="profile-tile-name"') == 5


def test_two_buy_offers_on_one_film_are_named_apart(guest, publish):
    film = publish("Island Classic", window="pvod")
    publish.add_window(film, "collector")

    html = guest.get(f"/film/{film.slug}/").content.decode()

    assert ">Buy PGK 35.00</a>" in html
    assert ">Buy the collector&#x27;s edition PGK 120.00</a>" in html


def _local_setting(name: str, **env) -> str:
    import subprocess
    import sys

    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    environment = {"DJANGO_SETTINGS_MODULE": "wans.settings.local", "PATH": "/usr/bin:/bin", **env}
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_demo_runs_without_the_debug_page_unless_asked():
    assert _local_setting("DEBUG") == "False"  # bin/run's settings
    assert _local_setting("DEBUG", DJANGO_DEBUG="1") == "True"


def test_a_bad_address_gets_the_styled_not_found_page(guest, settings):
    settings.DEBUG = False

    response = guest.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and "/static/css/wans" in html and "Traceback" not in html
