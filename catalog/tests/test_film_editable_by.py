"""The one rule for who may manage a film (catalog.selectors.film_editable_by), which catalog, rights, transcoding,
playback, web and the creator portal ask."""

import pytest
from django.contrib.auth.models import AnonymousUser

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
