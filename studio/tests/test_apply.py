from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as accounts_selectors
from accounts import services as accounts_services
from catalog import services as catalog_services
from core.testing.films import media_rows
from rights import services as rights_services
from studio.tests.helpers import approved_creator, film_of, png

pytestmark = pytest.mark.django_db


def test_studio_offers_becoming_a_creator_to_a_viewer(client, make_user):
    client.force_login(make_user("viewer"))
    answer = client.get(reverse("studio:home"))
    assert answer.status_code == 200
    assert reverse("studio:apply") in answer.content.decode()


def test_studio_asks_for_sign_in(client):
    answer = client.get(reverse("studio:films"))
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_a_viewer_applies_with_a_public_profile_and_avatar(client, make_user):
    user = make_user("viewer")
    client.force_login(user)
    answer = client.post(reverse("studio:apply"), {
        "display_name": "Wari Pictures", "slug": "wari", "bio": "Films from Goroka.", "country": "PG",
        "links": "https://wari.example\nhttps://festival.example/wari", "avatar": png("me.png", (120, 120)),
    })
    assert answer.status_code == 302
    profile = accounts_selectors.creator_profile_for(user=user)
    assert (profile.display_name, profile.slug, profile.status) == ("Wari Pictures", "wari", "pending")
    assert profile.links == ["https://wari.example", "https://festival.example/wari"]
    assert profile.avatar.name.startswith("creators/")
    home = client.get(reverse("studio:home")).content.decode()
    assert "waiting for staff" in home


def test_an_application_with_a_bad_link_is_refused_on_the_form(client, make_user):
    user = make_user("viewer")
    client.force_login(user)
    answer = client.post(reverse("studio:apply"), {"display_name": "Wari", "country": "PG", "links": "wari.example"})
    assert answer.status_code == 200
    assert "is not a web address" in answer.content.decode()
    assert accounts_selectors.creator_profile_for(user=user) is None


def test_a_taken_slug_is_named_on_the_form(client, make_user):
    approved_creator(make_user, "Wari")
    user = make_user("viewer")
    client.force_login(user)
    answer = client.post(reverse("studio:apply"), {"display_name": "Wari", "slug": "wari", "country": "PG"})
    assert answer.status_code == 200
    assert "Another creator already has that address" in answer.content.decode()
    assert accounts_selectors.creator_profile_for(user=user) is None


def test_an_applicant_prepares_a_film_but_cannot_submit_it(client, make_user):
    user = make_user("viewer")
    accounts_services.creator_apply(user=user, display_name="Applicant")
    film = film_of(user)
    client.force_login(user)
    answer = client.post(reverse("studio:film-submit", args=[film.pk]), follow=True)
    assert "Staff have not approved your creator profile yet" in answer.content.decode()
    film.refresh_from_db()
    assert film.status == "draft"


def test_a_refused_applicant_reads_the_reason_and_applies_again(client, make_user):
    user = make_user("viewer")
    staff = make_user("admin")
    profile = accounts_services.creator_apply(user=user, display_name="Applicant")
    accounts_services.creator_reject(profile=profile, by=staff, reason="Add a bio")
    client.force_login(user)
    page = client.get(reverse("studio:apply")).content.decode()
    assert "Add a bio" in page
    answer = client.post(
        reverse("studio:apply"), {"display_name": "Applicant", "bio": "Now with a bio", "country": "PG"}
    )
    assert answer.status_code == 302
    profile.refresh_from_db()
    assert (profile.status, profile.bio) == ("pending", "Now with a bio")


def test_creator_page_lists_published_films_only(client, make_user):
    creator = approved_creator(make_user, "Wari")
    staff = make_user("admin")
    shown = film_of(creator, "Shown Film")
    catalog_services.film_submit(film=shown, by=creator)
    media_rows(shown)  # a film is published only with playable media
    catalog_services.film_approve(film=shown, by=staff)
    film_of(creator, "Draft Film")
    other = approved_creator(make_user, "Other")
    theirs = film_of(other, "Their Film")
    catalog_services.film_submit(film=theirs, by=other)
    media_rows(theirs)
    catalog_services.film_approve(film=theirs, by=staff)
    for film, owner in ((shown, creator), (theirs, other)):
        rights_services.window_create(film=film, by=owner, window_type="avod", territories="WORLD",
                                      starts_at=timezone.now() - timedelta(days=1))
    page = client.get("/creators/wari/").content.decode()
    assert "Shown Film" in page
    assert "Draft Film" not in page
    assert "Their Film" not in page


def test_creator_page_of_an_applicant_is_not_found(client, make_user):
    user = make_user("viewer")
    accounts_services.creator_apply(user=user, display_name="Waiting", slug="waiting")
    assert client.get("/creators/waiting/").status_code == 404
