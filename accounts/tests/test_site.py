"""The server-rendered account pages (django-allauth): sign up, confirm, sign in, devices, password, two-factor."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from accounts.models import Device, Profile, User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _site_login(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def test_sign_up_confirm_email_and_land_signed_in():
    client = Client()
    response = client.post(
        "/accounts/signup/", {"email": "Lani@Example.com", "password1": PASSWORD}
    )
    assert response.status_code == 302
    user = User.objects.get(email="lani@example.com")
    assert Profile.objects.filter(user=user).count() == 1
    assert [g.name for g in user.groups.all()] == ["viewer"]
    assert "_auth_user_id" not in client.session  # mandatory verification: not signed in yet

    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = client.post("/" + path)

    assert confirm.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Device.objects.filter(user=user).count() == 1


def test_sign_up_with_a_short_password_shows_a_form_error():
    response = Client().post("/accounts/signup/", {"email": "x@example.com", "password1": "short-1"})

    assert response.status_code == 200
    assert b"This password is too short. It must contain at least 10 characters." in response.content
    assert not User.objects.filter(email="x@example.com").exists()


def test_site_login_records_the_device_and_sets_the_cookie():
    user = UserFactory()
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/121.0")

    response = _site_login(client, user.email)

    assert response.status_code == 302
    device = Device.objects.get(user=user)
    assert response.cookies[settings.ACCOUNTS_DEVICE_COOKIE].value == device.device_key
    assert response.cookies[settings.ACCOUNTS_DEVICE_COOKIE]["httponly"]


def test_site_login_with_wrong_password_shows_an_error_and_records_nothing():
    user = UserFactory()

    response = _site_login(Client(), user.email, "wrong-password")

    assert response.status_code == 200
    assert b"The email address and/or password you specified are not correct." in response.content
    assert not Device.objects.filter(user=user).exists()


def test_signing_out_a_device_ends_its_site_session():
    user = UserFactory()
    laptop, phone = Client(), Client()
    _site_login(laptop, user.email)
    _site_login(phone, user.email)
    phone_device = Device.objects.get(user=user, device_key=phone.cookies[settings.ACCOUNTS_DEVICE_COOKIE].value)
    assert phone.get("/account/devices/").status_code == 200

    response = laptop.post(f"/account/devices/{phone_device.pk}/sign-out")

    assert response.status_code == 302
    assert phone.get("/account/devices/").status_code == 302  # back to sign-in
    assert laptop.get("/account/devices/").status_code == 200


def test_devices_page_lists_devices():
    user = UserFactory()
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/121.0")
    _site_login(client, user.email)

    response = client.get("/account/devices/")

    assert b"Firefox on Windows" in response.content
    assert b"This device" in response.content


def test_site_lockout_after_repeated_failures_shows_the_lockout_page():
    user = UserFactory()
    client = Client()
    for _ in range(4):
        _site_login(client, user.email, "wrong-password")

    response = _site_login(client, user.email, "wrong-password")

    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert _site_login(client, user.email).status_code == 429


def test_password_reset_mails_a_link_that_sets_a_new_password():
    user = UserFactory()
    client = Client()

    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"/accounts/password/reset/key/[^\s]+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": "a-brand-new-pass-42", "password2": "a-brand-new-pass-42"}
    )

    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("a-brand-new-pass-42")


def test_change_password():
    user = UserFactory()
    client = Client()
    _site_login(client, user.email)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another-pass-phrase-7", "password2": "another-pass-phrase-7"},
    )

    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("another-pass-phrase-7")


def _totp_now(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def test_totp_two_factor_is_asked_at_sign_in_once_activated():
    from allauth.mfa.models import Authenticator

    user = UserFactory()
    client = Client()
    _site_login(client, user.email)
    assert client.get("/accounts/2fa/totp/activate/").status_code == 302  # asks for the password again first
    client.post("/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    code = _totp_now(secret)
    assert client.post("/accounts/2fa/totp/activate/", {"code": code}).status_code == 302
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {"totp", "recovery_codes"}
    client.post("/accounts/logout/")
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")

    response = _site_login(client, user.email)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200
    assert client.post("/accounts/2fa/authenticate/", {"code": _totp_now(secret)}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
