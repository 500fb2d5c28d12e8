"""The site's own clients (a guest, a signed-in viewer with a profile chosen); users, `publish` and windows come
from core.testing (the root's plugin)."""

import pytest
from django.test import Client

from accounts import selectors as account_selectors


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
