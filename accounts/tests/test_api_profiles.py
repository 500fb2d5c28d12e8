import pytest

from accounts.models import Profile
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_new_account_starts_with_one_profile(authed):
    response = authed.get("/api/profile")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["results"][0]["maturity_limit"] == "R18+"
    assert body["results"][0]["language"] == "en"


def test_create_profile_in_tok_pisin(authed):
    response = authed.post("/api/profile", {"name": "Wantok", "language": "tpi"}, format="json")

    assert response.status_code == 201
    assert response.json()["language"] == "tpi"
    assert Profile.objects.filter(user=authed.user, name="Wantok", language="tpi").exists()


def test_kids_profile_is_held_at_or_below_pg(authed):
    response = authed.post("/api/profile", {"name": "Kids", "is_kids": True, "maturity_limit": "MA15+"}, format="json")

    assert response.status_code == 201
    assert response.json()["maturity_limit"] == "PG"


def test_sixth_profile_is_refused_and_nothing_is_created(authed):
    for n in range(4):
        assert authed.post("/api/profile", {"name": f"P{n}"}, format="json").status_code == 201

    response = authed.post("/api/profile", {"name": "Sixth"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "profile_limit"
    assert Profile.objects.filter(user=authed.user).count() == 5


def test_duplicate_profile_name_is_refused_naming_the_field(authed):
    first = authed.get("/api/profile").json()["results"][0]["name"]

    response = authed.post("/api/profile", {"name": first.upper()}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]


def test_patch_profile(authed):
    profile_id = authed.get("/api/profile").json()["results"][0]["id"]

    response = authed.patch(f"/api/profile/{profile_id}", {"name": "Renamed", "maturity_limit": "M"}, format="json")

    assert response.status_code == 200
    profile = Profile.objects.get(pk=profile_id)
    assert (profile.name, profile.get_maturity_limit_display()) == ("Renamed", "M")


def test_deleting_the_last_profile_is_refused(authed):
    profile_id = authed.get("/api/profile").json()["results"][0]["id"]

    response = authed.delete(f"/api/profile/{profile_id}")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "last_profile"
    assert Profile.objects.filter(pk=profile_id).exists()


def test_delete_a_profile_when_another_remains(authed):
    created = authed.post("/api/profile", {"name": "Second"}, format="json").json()

    assert authed.delete(f"/api/profile/{created['id']}").status_code == 204
    assert not Profile.objects.filter(pk=created["id"]).exists()


def test_another_accounts_profile_is_not_found_and_unchanged(authed):
    other = UserFactory()
    theirs = Profile.objects.get(user=other)

    assert authed.patch(f"/api/profile/{theirs.pk}", {"name": "Mine"}, format="json").status_code == 404
    assert authed.delete(f"/api/profile/{theirs.pk}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "Mine"


def test_profile_avatar_upload(authed):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "orange").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "me.png"

    response = authed.post("/api/profile", {"name": "Pic", "avatar": buffer}, format="multipart")

    assert response.status_code == 201
    assert Profile.objects.get(pk=response.json()["id"]).avatar.name.startswith("avatars/me")


def test_profile_avatar_that_is_not_an_image_is_refused(authed):
    import io

    fake = io.BytesIO(b"not an image at all")
    fake.name = "evil.png"

    response = authed.post("/api/profile", {"name": "Pic", "avatar": fake}, format="multipart")

    assert response.status_code == 400
    assert "avatar" in response.json()["error"]["fields"]


def test_page_size_is_capped_at_100(authed):
    response = authed.get("/api/profile?page_size=1000")

    assert response.status_code == 200
    assert response.json()["count"] == 1
