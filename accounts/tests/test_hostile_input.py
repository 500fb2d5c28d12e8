import pytest

from accounts.models import Profile, User

pytestmark = pytest.mark.django_db

HOSTILE = [
    pytest.param({}, id="missing-fields"),
    pytest.param({"email": 12345, "password": ["a", "b"]}, id="wrong-types"),
    pytest.param({"email": "a" * 10_000 + "@example.com", "password": "x" * 10_000}, id="10kB-strings"),
    pytest.param({"email": "' OR 1=1; DROP TABLE accounts_user; --", "password": "' OR '1'='1"}, id="sql-looking"),
    pytest.param({"email": "pikinini@ples.pg\u0000", "password": "pass\u0000word-long-enough"}, id="nul-bytes"),
    pytest.param({"email": None, "password": None}, id="nulls"),
    pytest.param({"email": {"$gt": ""}, "password": {"$gt": ""}}, id="objects"),
]


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("path", ["/api/auth/register", "/api/auth/login"])
def test_auth_endpoints_answer_hostile_input_with_400_and_the_error_body(api, path, payload):
    users_before = User.objects.count()

    response = api.post(path, payload, format="json")

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]
    assert User.objects.count() == users_before


def test_body_that_is_not_an_object_is_400(api):
    response = api.post("/api/auth/login", [1, 2, 3], format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_malformed_json_is_400(api):
    response = api.post("/api/auth/login", data='{"email": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"name": "n" * 10_000}, "name"),
        ({"name": "Ok", "language": "klingon"}, "language"),
        ({"name": "Ok", "maturity_limit": "X"}, "maturity_limit"),
        ({"name": "Ok", "is_kids": "perhaps"}, "is_kids"),
        ({"name": "   "}, "name"),
        ({}, "name"),
    ],
)
def test_profile_create_refuses_bad_fields(authed, payload, field):
    response = authed.post("/api/profile", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert Profile.objects.filter(user=authed.user).count() == 1


def test_unicode_names_are_kept_as_given(authed):
    response = authed.post("/api/profile", {"name": "Ōpō 🎬 Wantok"}, format="json")

    assert response.status_code == 201
    assert Profile.objects.get(pk=response.json()["id"]).name == "Ōpō 🎬 Wantok"
