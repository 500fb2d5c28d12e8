import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


def login(api: APIClient, email: str, password: str = PASSWORD, **extra) -> dict:
    response = api.post("/api/auth/login", {"email": email, "password": password, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def authed(api, user):
    """An API client signed in as `user` with a bearer token; `.tokens` holds the login answer."""
    tokens = login(api, user.email)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    api.tokens = tokens
    api.user = user
    return api
