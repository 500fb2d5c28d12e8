from datetime import UTC, datetime

import pytest
from django.apps import apps

from catalog import services as catalog_services

T0 = datetime(2027, 1, 1, tzinfo=UTC)
TVOD = {"PGK": 1500, "USD": 499}


@pytest.fixture
def creator(make_user):
    return make_user("creator")


@pytest.fixture
def staff(make_user):
    return make_user("admin")


@pytest.fixture
def film(creator, staff):
    film = catalog_services.film_create(creator=creator, data={"title": "Kokoda Dawn"})
    catalog_services.film_submit(film=film, by=creator)
    catalog_services.film_approve(film=film, by=staff)
    return film


@pytest.fixture
def make_film(creator, staff):
    def make(title="Another film", owner=None):
        film = catalog_services.film_create(creator=owner or creator, data={"title": title})
        catalog_services.film_submit(film=film, by=owner or creator)
        catalog_services.film_approve(film=film, by=staff)
        return film

    return make


def window_model():
    return apps.get_model("rights", "Window")
