from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Device, Profile, User
from accounts.tests.conftest import login
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_register_creates_viewer_with_one_profile_and_mails_a_confirmation(api):
    response = api.post("/api/auth/register", {"email": "New.Person@Example.com", "password": PASSWORD}, format="json")

    assert response.status_code == 201
    assert response.json()["verification"] == "sent"
    user = User.objects.get(email="new.person@example.com")
    assert [g.name for g in user.groups.all()] == ["viewer"]
    assert Profile.objects.filter(user=user).count() == 1
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_register_with_taken_email_answers_the_same_and_creates_nothing(api, user):
    response = api.post("/api/auth/register", {"email": user.email.upper(), "password": PASSWORD}, format="json")

    assert response.status_code == 201
    assert response.json()["verification"] == "sent"
    assert User.objects.filter(email__iexact=user.email).count() == 1
    assert len(mail.outbox) == 1  # "you already have an account", to the owner of the address
    assert mail.outbox[0].to == [user.email]


def test_register_refuses_weak_password_naming_the_field(api):
    response = api.post("/api/auth/register", {"email": "a@example.com", "password": "password"}, format="json")

    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert "password" in body["fields"]
    assert not User.objects.filter(email="a@example.com").exists()


def test_login_returns_tokens_user_and_device(api, user):
    body = login(api, user.email.upper(), device_id="phone-1234", device_name="Kila's phone")

    assert set(body) == {"access", "refresh", "user", "device"}
    assert body["user"]["email"] == user.email
    assert body["user"]["role"] == "viewer"
    device = Device.objects.get(user=user)
    assert body["device"] == {"id": device.pk, "device_id": "phone-1234", "name": "Kila's phone"}
    assert AccessToken(body["access"])["did"] == device.pk


def test_login_with_wrong_password_or_unknown_email_gives_one_message(api, user):
    wrong = api.post("/api/auth/login", {"email": user.email, "password": "nope-nope-nope"}, format="json")
    unknown = api.post("/api/auth/login", {"email": "nobody@example.com", "password": "nope-nope-nope"}, format="json")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"
    assert not Device.objects.exists()


def test_login_refused_until_email_is_confirmed(api):
    user = UserFactory(verified=False)

    response = api.post("/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "email_unverified"
    assert not Device.objects.filter(user=user).exists()


def test_locked_account_cannot_log_in(api, user):
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = api.post("/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_verify_answers_whose_token_it_is(authed):
    response = authed.get("/api/auth/verify")

    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True
    assert body["user_id"] == authed.user.pk
    assert body["email"] == authed.user.email


def test_expired_access_token_is_refused(api, user):
    tokens = login(api, user.email)
    expired = AccessToken(tokens["access"])
    expired.set_exp(lifetime=-timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {expired}")

    response = api.get("/api/auth/verify")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_tampered_access_token_is_refused(api, user):
    tokens = login(api, user.email)
    head, payload, signature = tokens["access"].split(".")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {head}.{payload}.{signature[::-1]}")

    assert api.get("/api/user/me").status_code == 401


def test_refresh_gives_a_new_working_access_token(api, user):
    tokens = login(api, user.email)

    response = api.post("/api/auth/refresh", {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 200
    access = response.json()["access"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get("/api/user/me").json()["email"] == user.email


def test_refresh_lifetime_is_seven_days_and_access_is_short(api, user):
    from rest_framework_simplejwt.tokens import RefreshToken

    tokens = login(api, user.email)
    refresh, access = RefreshToken(tokens["refresh"]), AccessToken(tokens["access"])

    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600
    assert access["exp"] - access["iat"] == 15 * 60


def test_logout_revokes_the_refresh_token(api, user):
    tokens = login(api, user.email)

    assert api.post("/api/auth/logout", {"refresh": tokens["refresh"]}, format="json").status_code == 204
    response = api.post("/api/auth/refresh", {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_logout_with_garbage_token_is_a_clear_error(api):
    response = api.post("/api/auth/logout", {"refresh": "not-a-token"}, format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_access_token_cannot_be_used_as_refresh_token(api, user):
    tokens = login(api, user.email)

    response = api.post("/api/auth/refresh", {"refresh": tokens["access"]}, format="json")

    assert response.status_code == 401


def test_bcrypt_password_is_accepted_and_upgraded_to_argon2(api, settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "accounts.hashers.BCrypt12PasswordHasher",
    ]
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="bcrypt"))
    assert User.objects.get(pk=user.pk).password.startswith("bcrypt$$2b$12$")

    login(api, user.email)

    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$")


def test_register_with_verification_off_sends_no_mail_and_says_so(api, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"

    response = api.post("/api/auth/register", {"email": "quick@example.com", "password": PASSWORD}, format="json")
    login = api.post("/api/auth/login", {"email": "quick@example.com", "password": PASSWORD}, format="json")

    assert response.status_code == 201
    assert response.json() == {
        "email": "quick@example.com", "verification": "off", "message": "Your account is ready: sign in."
    }
    assert len(mail.outbox) == 0
    assert login.status_code == 200
