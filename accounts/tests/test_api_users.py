import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_me_shows_the_account(authed):
    response = authed.get("/api/user/me")

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == authed.user.email
    assert body["role"] == "viewer"
    assert body["email_verified"] is True
    assert body["country"] == "PG"


def test_patch_me_changes_name_and_country_but_not_email(authed):
    response = authed.patch(
        "/api/user/me", {"display_name": "Kila Kila", "country": "AU", "email": "x@evil.example"}, format="json"
    )

    assert response.status_code == 200
    user = User.objects.get(pk=authed.user.pk)
    assert (user.display_name, user.country.code, user.email) == ("Kila Kila", "AU", authed.user.email)


def test_patch_me_with_unknown_country_is_refused(authed):
    response = authed.patch("/api/user/me", {"country": "ZZ"}, format="json")

    assert response.status_code == 400
    assert "country" in response.json()["error"]["fields"]
    assert User.objects.get(pk=authed.user.pk).country.code == "PG"


def test_endpoints_need_a_token(api):
    for path in ("/api/user/me", "/api/user/devices", "/api/profile", "/api/auth/verify"):
        response = api.get(path)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "not_authenticated"


def test_unknown_api_path_is_json_404(api):
    response = api.get("/api/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def test_email_is_unique_whatever_its_case_in_the_database():
    from django.db import IntegrityError, transaction

    UserFactory(email="case@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="CASE@example.com")])


def test_creator_public_profile_and_editing_it(make_user):
    from rest_framework.test import APIClient

    creator = make_user("creator", display_name="Ples Pictures")
    client = APIClient()
    client.force_authenticate(creator)

    edited = client.patch("/api/creators/me", {"bio": "Films from Goroka.", "payout_currency": "AUD"}, format="json")
    public = APIClient().get("/api/creators/ples-pictures")

    assert edited.status_code == 200
    assert (edited.json()["payout_currency"], edited.json()["status"]) == ("AUD", "approved")
    assert public.status_code == 200
    assert public.json() == {  # the payout currency is the creator's business, not the public's
        "slug": "ples-pictures",
        "display_name": "Ples Pictures",
        "bio": "Films from Goroka.",
        "country": "PG",
        "links": [],
    }


def test_creator_profile_refuses_unknown_currency_and_viewers_have_none(make_user):
    from rest_framework.test import APIClient

    creator, viewer = make_user("creator"), make_user("viewer")
    client = APIClient()
    client.force_authenticate(creator)
    bad = client.patch("/api/creators/me", {"payout_currency": "XYZ"}, format="json")
    client.force_authenticate(viewer)

    assert bad.status_code == 400
    assert "payout_currency" in bad.json()["error"]["fields"]
    assert client.get("/api/creators/me").status_code == 404
