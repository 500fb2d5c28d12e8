"""One-click unsubscribe (RFC 8058) from an email's headers or link, or an SMS's link: a signed token, no sign-in.
Transactional messages carry no unsubscribe at all."""

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from notifications import outbox, services
from notifications.models import Category, Preference
from notifications.tokens import unsubscribe_read, unsubscribe_token

FILM = {"creator_name": "Rabaul Pictures", "film_title": "Kokoda Dawn", "film_slug": "kokoda-dawn"}
RECEIPT = {"reference": "W1", "amount_minor": 100, "currency": "PGK", "item": "Film", "paid_at": None,
           "payment_public_id": "6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f", "provider": "Sandbox"}


def test_non_transactional_email_has_one_click_unsubscribe_headers_and_a_link(viewer, settings):
    settings.NOTIFICATIONS_UNSUBSCRIBE_MAILTO = "unsubscribe@wans.example"
    [email, _in_app] = services.notify(event="followed_creator_film", user=viewer, context=FILM, key="1")
    mail.outbox.clear()
    services.notification_send(notification_id=email.pk)
    [message] = mail.outbox
    token = unsubscribe_token(user_id=viewer.pk, category="new_films", channel="email")
    link = f"http://127.0.0.1:8000/notifications/unsubscribe/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{link}>, <mailto:unsubscribe@wans.example?subject=unsubscribe%20{token}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop these emails: {link}" in message.body
    html = message.alternatives[0][0]
    assert f'href="{link}"' in html and "Kokoda Dawn" in html


def test_transactional_email_has_no_unsubscribe(viewer):
    [email, _in_app] = services.notify(event="payment_receipt", user=viewer,
                                       context={**RECEIPT, "paid_at": viewer.date_joined}, key="1")
    mail.outbox.clear()
    services.notification_send(notification_id=email.pk)
    [message] = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/notifications/unsubscribe/" not in message.body


def test_one_click_post_unsubscribes_without_signing_in(viewer):
    token = unsubscribe_token(user_id=viewer.pk, category="new_films", channel="email")
    client = Client(enforce_csrf_checks=True)  # a mail client's POST carries no CSRF token
    response = client.post(f"/notifications/unsubscribe/{token}/", data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert list(Preference.objects.filter(user=viewer).values_list("category", "channel", "enabled")) == [
        ("new_films", "email", False)]
    assert services.notify(event="followed_creator_film", user=viewer, context=FILM, key="1")[0].channel == "in_app"


def test_the_link_asks_first_and_a_get_changes_nothing(viewer):
    token = unsubscribe_token(user_id=viewer.pk, category="new_films", channel="email")
    response = Client().get(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 200
    assert b"Unsubscribe?" in response.content and b"New films you follow or saved" in response.content
    assert not Preference.objects.exists()


def test_a_tampered_token_is_refused_and_changes_nothing(viewer, staff):
    token = unsubscribe_token(user_id=viewer.pk, category="new_films", channel="email")
    forged = token.replace(f"{viewer.pk}.", f"{staff.pk}.", 1)
    for bad in (forged, token[:-3], "nonsense"):
        assert Client().post(f"/notifications/unsubscribe/{bad}/").status_code == 400
    assert unsubscribe_read(forged) is None
    assert not Preference.objects.exists()


def test_a_token_cannot_turn_off_a_transactional_category(viewer):
    token = unsubscribe_token(user_id=viewer.pk, category=Category.BILLING, channel="email")
    assert Client().post(f"/notifications/unsubscribe/{token}/").status_code == 400
    assert not Preference.objects.exists()


def test_the_sms_link_unsubscribes_that_category_from_sms(viewer, reachable):
    reachable(viewer, push=False)
    made = services.notify(event="rental_ending", user=viewer, key="1", context={
        "film_title": "Rent River", "film_slug": "rent-river", "ends_at": timezone.now() + timedelta(hours=6)})
    sms = next(row for row in made if row.channel == "sms")
    stop = outbox.unsubscribe_url(user_id=viewer.pk, category="reminders", channel="sms")
    assert sms.text == ("WANS: your rental of Rent River ends at " + sms.text.split(" ends at ")[1].split(".")[0]
                        + f". http://127.0.0.1:8000/film/rent-river/ Stop: {stop}")
    assert Client().post(stop.replace("http://127.0.0.1:8000", "")).status_code == 200
    assert list(Preference.objects.filter(user=viewer).values_list("category", "channel", "enabled")) == [
        ("reminders", "sms", False)]
    made = services.notify(event="rental_ending", user=viewer, key="2", context={
        "film_title": "Rent River", "film_slug": "rent-river", "ends_at": timezone.now() + timedelta(hours=6)})
    assert [row.channel for row in made] == ["in_app"]


def test_unsubscribe_from_everything_leaves_transactional_mail(viewer):
    token = unsubscribe_token(user_id=viewer.pk, category="all", channel="email")
    assert Client().post(f"/notifications/unsubscribe/{token}/").status_code == 200
    off = set(Preference.objects.filter(user=viewer, enabled=False).values_list("category", flat=True))
    assert off == {"reminders", "new_films", "staff", "marketing"}
