"""Hostile input is a 400 everywhere, decided in one place (core.input_guard) before any parser or query."""

import json

import pytest
from django.apps import apps
from django.test import Client
from rest_framework.test import APIClient

from core.input_guard import json_depth_exceeds

pytestmark = pytest.mark.django_db

Profile = apps.get_model("accounts", "Profile")
User = apps.get_model("accounts", "User")
Payment = apps.get_model("billing", "Payment")
DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000


@pytest.fixture
def viewer(make_user):
    return make_user("viewer")


@pytest.fixture
def signed_in(viewer):
    client = APIClient()
    client.force_authenticate(viewer)
    return client


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["arrays", "objects"])
@pytest.mark.parametrize(
    "path", ["/api/auth/register", "/api/auth/login", "/api/webhooks/bsp", "/api/webhooks/stripe",
             "/api/webhooks/akash", "/api/films"]
)
def test_deeply_nested_json_is_a_400_before_parsing_without_signing_in(path, body):
    users_before = User.objects.count()

    response = Client().post(path, data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": {
        "code": "body_too_deep", "message": "The JSON body nests deeper than 32 levels.", "fields": {}}}
    assert User.objects.count() == users_before


def test_a_webhook_body_is_checked_whatever_content_type_it_declares():
    response = Client().post("/api/webhooks/digicel", data=DEEP_ARRAY, content_type="text/plain")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "body_too_deep"


def test_a_json_body_over_the_size_limit_is_a_400(settings):
    settings.WANS_JSON_MAX_BYTES = 2048
    body = json.dumps({"email": "a@example.com", "password": "x" * 3000})

    response = Client().post("/api/auth/register", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "body_too_large", "message": "The request body is larger than 2048 bytes.", "fields": {}}


def test_brackets_inside_strings_do_not_count_as_depth():
    email = "[{" * 40 + '\\"' + "]}" * 40 + "@example.com"

    response = Client().post("/api/auth/login", data='{"email": "' + email + '", "password": "x"}',
                             content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"  # the serializer's answer: the body got through


def test_depth_is_counted_outside_strings_only():
    assert json_depth_exceeds(b'{"a": [[1]]}', 3) is False
    assert json_depth_exceeds(b'{"a": [[[1]]]}', 3) is True
    assert json_depth_exceeds(b'{"a": "[[[[[[[[", "b": "\\"[[[[[["}', 1) is False


def test_nul_in_a_path_parameter_is_a_400():
    response = Client().get("/api/films/a%00b")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "path": ["Text may not contain NUL characters or unpaired UTF-16 surrogates."]}


@pytest.mark.parametrize("query", ["q=a%00b", "genre=%00", "page=1%00", "a%00b=1"])
def test_nul_in_a_query_parameter_is_a_400(query):
    response = Client().get(f"/api/films?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("value", ["\\ud800", "\\udfff", "en\\u0000", "\\udc00\\ud800"])
def test_nul_or_a_lone_surrogate_in_a_profile_language_is_a_400(signed_in, viewer, value):
    profile = Profile.objects.get(user=viewer)

    response = signed_in.patch(f"/api/profile/{profile.pk}", data='{"language": "' + value + '"}',
                               content_type="application/json")
    create = signed_in.post("/api/profile", data='{"name": "Kid", "language": "' + value + '"}',
                            content_type="application/json")

    for answer in (response, create):
        assert answer.status_code == 400
        assert answer.json()["error"]["fields"] == {
            "language": ["Text may not contain NUL characters or unpaired UTF-16 surrogates."]}
    profile.refresh_from_db()
    assert profile.language == "en"
    assert Profile.objects.filter(user=viewer).count() == 1


def test_a_paired_surrogate_escape_is_an_ordinary_character(signed_in, viewer):
    response = signed_in.post("/api/profile", data='{"name": "Film \\ud83c\\udfac"}', content_type="application/json")

    assert response.status_code == 201
    assert Profile.objects.get(pk=response.json()["id"]).name == "Film 🎬"


@pytest.mark.parametrize("path", ["/api/subscriptions", "/api/transactions", "/api/transactions/png"])
@pytest.mark.parametrize("value", ["\\ud800", "bsp\\u0000"])
def test_a_lone_surrogate_or_nul_in_provider_is_a_400(signed_in, path, value):
    body = '{"plan": "basic", "interval": "month", "window_id": 1, "provider": "' + value + '"}'

    response = signed_in.post(path, data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "provider": ["Text may not contain NUL characters or unpaired UTF-16 surrogates."]}
    assert Payment.objects.count() == 0


def test_nested_keys_are_named_by_their_path(signed_in):
    body = '{"territories": ["PG", "\\u0000"], "prices": {"tvod": {"PG\\ud800": 1}}}'

    response = signed_in.post("/api/windows", data=body, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"territories.1", "prices.tvod"}


@pytest.mark.parametrize("path", ["/browse/?q=a%00b", "/search/?q=%00", "/film/a%00b/", "/browse/a%00b/"])
def test_site_pages_answer_nul_with_the_400_page(path):
    response = Client().get(path)

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_site_forms_answer_nul_with_the_400_page_and_change_nothing(client, viewer):
    client.force_login(viewer)
    profiles_before = Profile.objects.filter(user=viewer).count()
    form = "application/x-www-form-urlencoded"

    response = client.post("/profiles/new/", "name=Kid%00&language=en", content_type=form)
    login = Client().post("/accounts/login/", "login=a%00%40example.com&password=x%00", content_type=form)

    assert response.status_code == 400 and login.status_code == 400
    assert "Bad request" in response.content.decode()
    assert Profile.objects.filter(user=viewer).count() == profiles_before


def test_a_multipart_site_form_with_nul_shows_the_form_error(client, viewer):
    client.force_login(viewer)
    profiles_before = Profile.objects.filter(user=viewer).count()

    response = client.post("/profiles/new/", {"name": "Kid\x00", "language": "en"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert Profile.objects.filter(user=viewer).count() == profiles_before


@pytest.mark.parametrize("value", [25.0, 7, True])
def test_a_number_or_boolean_where_text_is_expected_is_a_400(signed_in, viewer, value):
    profile = Profile.objects.get(user=viewer)

    response = signed_in.patch(f"/api/profile/{profile.pk}", {"name": value}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"name": ["Not a valid string."]}
    profile.refresh_from_db()
    assert profile.name != str(value)
