from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts import selectors as account_selectors
from catalog import services as catalog_services
from rights import services as rights_services

PRICES = {"tvod": {"PGK": 1500, "USD": 499}, "pvod": {"PGK": 3500}, "collector": {"PGK": 12000}, "ppv": {"PGK": 1000}}


@pytest.fixture
def creator(make_user):
    return make_user("creator")


@pytest.fixture
def staff(make_user):
    return make_user("admin")


@pytest.fixture
def publish(creator, staff):
    """publish("Title", window="avod", territories="PG", start_days=-1, end_days=None, **film data) -> a published
    film with one window (window=None: none)."""

    def publish(title, window="avod", territories="PG", start_days=-1, end_days=None, genres=(), **data):
        film = catalog_services.film_create(creator=creator, data={"title": title, **data})
        if genres:
            film.genres.set([catalog_services.genre_get_or_create(name=name) for name in genres])
        catalog_services.film_submit(film=film, by=creator)
        catalog_services.film_approve(film=film, by=staff)
        if window:
            add_window(film, window, territories=territories, start_days=start_days, end_days=end_days)
        return film

    def add_window(film, window, territories="PG", start_days=-1, end_days=None, **terms):
        now = timezone.now()
        if window in PRICES:
            terms.setdefault("prices", PRICES[window])
        if window == "ppv":
            terms.setdefault("event_starts_at", now + timedelta(days=start_days, hours=2))
        if window == "collector":
            terms.setdefault("edition_size", 50)
        return rights_services.window_create(
            film=film,
            by=staff,
            window_type=window,
            territories=territories,
            starts_at=now + timedelta(days=start_days),
            ends_at=now + timedelta(days=end_days) if end_days is not None else None,
            **terms,
        )

    publish.add_window = add_window
    publish.staff = staff
    return publish


@pytest.fixture
def viewer_user(make_user):
    return make_user("viewer")


@pytest.fixture
def signed_in(viewer_user):
    """A client signed in as `viewer_user` with its first profile chosen (as after "Who's watching?")."""
    client = Client(HTTP_CF_IPCOUNTRY="PG")
    response = client.post("/accounts/login/", {"login": viewer_user.email, "password": "correct-horse-battery-9"})
    assert response.status_code == 302
    profile = account_selectors.profiles_for(user=viewer_user).first()
    client.post(f"/profiles/{profile.pk}/choose", {"next": "/"})
    client.profile = profile
    return client


@pytest.fixture
def guest():
    return Client(HTTP_CF_IPCOUNTRY="PG")
