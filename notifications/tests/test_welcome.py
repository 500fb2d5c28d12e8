"""A new account is welcomed (accounts' onboarding hook): by the site's sign-up and the API's alike, once."""

from django.core import mail
from rest_framework.test import APIClient

from accounts import services as accounts_services
from core.testing.notices import notices


def test_site_sign_up_welcomes_by_email_and_in_the_bell(db, client, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {"email": "kila@example.com", "password1": "a-long-pass-word-77",
                                                     "name": "Kila"})
    assert response.status_code == 302
    user = accounts_services.User.objects.get(email="kila@example.com")
    assert notices(user) == {("welcome", "email"): "sent", ("welcome", "in_app"): "sent"}
    assert "Welcome to WANS, Kila" in [message.subject for message in mail.outbox]


def test_api_sign_up_welcomes_too_and_onboarding_again_does_not(db):
    response = APIClient().post("/api/auth/register", {"email": "api@example.com", "password": "a-long-pass-word-77"},
                                format="json")
    assert response.status_code == 201
    user = accounts_services.User.objects.get(email="api@example.com")
    assert notices(user) == {("welcome", "email"): "queued", ("welcome", "in_app"): "sent"}
    accounts_services.user_onboard(user=user)
    assert len(notices(user)) == 2
