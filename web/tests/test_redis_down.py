"""Redis unreachable (issue 25, item 4): sign-in on the site and the API, the home page, browse and a film page work
without the cache; sessions are kept in the database, rate limits and lock-outs answer without it."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from core.testing.redis import point_at_dead_redis

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _redis_down(settings):
    point_at_dead_redis(settings)


def test_site_sign_in_keeps_the_session_in_the_database(viewer_user):
    client = Client(HTTP_CF_IPCOUNTRY="PG")

    answer = client.post("/accounts/login/", {"login": viewer_user.email, "password": PASSWORD})

    assert answer.status_code == 302
    assert Session.objects.count() == 1
    account = client.get("/account/")
    assert account.status_code == 200
    assert viewer_user.email in account.content.decode()


def test_api_sign_in_and_its_rate_limit_answer_without_the_cache(viewer_user):
    from rest_framework.test import APIClient

    api = APIClient()
    wrong = [
        api.post("/api/auth/login", {"email": viewer_user.email, "password": "not-the-password"}, format="json")
        for _ in range(2)
    ]
    right = api.post("/api/auth/login", {"email": viewer_user.email, "password": PASSWORD}, format="json")

    assert [w.status_code for w in wrong] == [401, 401]
    assert right.status_code == 200, right.json()
    assert set(right.json()) >= {"access", "refresh"}
    me = APIClient(HTTP_AUTHORIZATION=f"Bearer {right.json()['access']}").get("/api/user/me")
    assert (me.status_code, me.json()["email"]) == (200, viewer_user.email)


def test_home_browse_and_film_pages_answer_without_the_cache(publish, guest, signed_in):
    film = publish("Sepik Blues", window="avod", genres=["Drama"])

    pages = {url: guest.get(url) for url in ("/", "/browse/", f"/film/{film.slug}/")}
    signed_in_home = signed_in.get("/")

    assert {url: answer.status_code for url, answer in pages.items()} == {
        "/": 200, "/browse/": 200, f"/film/{film.slug}/": 200
    }
    assert "Sepik Blues" in pages["/browse/"].content.decode()
    assert "Sepik Blues" in pages[f"/film/{film.slug}/"].content.decode()
    assert signed_in_home.status_code == 200
