"""The one rule for who may manage a film (catalog.selectors.film_editable_by), which catalog, rights, transcoding,
playback, web and the creator portal ask."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import services as accounts_services
from catalog import selectors, services

pytestmark = pytest.mark.django_db


def test_staff_and_the_films_creator_may_manage_it_and_nobody_else(make_user):
    creator = make_user("creator")
    film = services.film_create(creator=creator, data={"title": "Bilum"})

    assert selectors.film_editable_by(film=film, user=creator) is True
    assert selectors.film_editable_by(film=film, user=make_user("admin")) is True
    assert selectors.film_editable_by(film=film, user=make_user("super admin")) is True
    assert selectors.film_editable_by(film=film, user=make_user("creator")) is False
    assert selectors.film_editable_by(film=film, user=make_user("viewer")) is False
    assert selectors.film_editable_by(film=film, user=AnonymousUser()) is False
    assert selectors.film_editable_by(film=film, user=None) is False


def test_a_creators_editor_teammate_may_manage_their_films_an_analyst_may_not(make_user):
    creator = make_user("creator")
    film = services.film_create(creator=creator, data={"title": "Bilum"})
    other_film = services.film_create(creator=make_user("creator"), data={"title": "Kundu"})
    editor, analyst = make_user("viewer"), make_user("viewer")
    accounts_services.team_invite(creator=creator, by=creator, email=editor.email, role="editor")
    accounts_services.team_invite(creator=creator, by=creator, email=analyst.email, role="analyst")

    assert selectors.film_editable_by(film=film, user=editor) is True
    assert selectors.film_editable_by(film=other_film, user=editor) is False
    assert selectors.film_editable_by(film=film, user=analyst) is False
    assert set(selectors.films_visible_to(user=editor)) == {film}
    assert list(selectors.films_visible_to(user=analyst)) == []
