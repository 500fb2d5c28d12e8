"""Sign-up as a new viewer meets it (issue 22, item 15): the site's own page with one password field and a
strength hint, the first profile named by the person's name, and a way to have the confirmation link sent again."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts import selectors as account_selectors

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-sign-up-pass-7"


def test_the_sign_up_page_has_one_password_field_with_a_strength_hint_and_labels():
    html = Client().get("/accounts/signup/").content.decode()

    assert html.count('type="password"') == 1
    assert "At least 10 characters. A few words together are strong and easy to remember." in html
    for label in ("Your name", "Email", "Password"):
        assert re.search(rf'<label for="id_\w+">{label}', html), label
    assert 'class="site-header"' in html  # the site's own page, header and all


def test_the_first_profile_takes_the_name_given_at_sign_up():
    response = Client().post("/accounts/signup/", {"name": "Lani Kila", "email": "lani@example.com",
                                                   "password1": PASSWORD})

    assert response.status_code == 302
    user = account_selectors.user_by_email(email="lani@example.com")
    assert [p.name for p in account_selectors.profiles_for(user=user)] == ["Lani Kila"]


def test_without_a_name_the_first_profile_is_still_named():
    Client().post("/accounts/signup/", {"email": "moni@example.com", "password1": PASSWORD})

    user = account_selectors.user_by_email(email="moni@example.com")
    assert [p.name for p in account_selectors.profiles_for(user=user)] == ["moni"]


def test_the_confirmation_link_can_be_sent_again_once_a_minute():
    client = Client()
    client.post("/accounts/signup/", {"email": "lani@example.com", "password1": PASSWORD})
    sent = client.get("/accounts/confirm-email/").content.decode()
    assert "Send the link again" in sent
    assert len(mail.outbox) == 1

    again = client.post("/join/resend-confirmation", {"email": "Lani@example.com"}, follow=True)
    assert "If lani@example.com is waiting to be confirmed, a new link is on its way." in again.content.decode()
    assert len(mail.outbox) == 2
    client.post("/join/resend-confirmation", {"email": "lani@example.com"})
    assert len(mail.outbox) == 2  # not twice within a minute

    unknown = client.post("/join/resend-confirmation", {"email": "nobody@example.com"}, follow=True)
    assert "If nobody@example.com is waiting to be confirmed" in unknown.content.decode()
    assert len(mail.outbox) == 2


def test_a_visitor_who_joins_from_a_free_film_comes_back_to_it(publish):
    film = publish("Free Reef", window="avod")
    client = Client(HTTP_CF_IPCOUNTRY="PG")
    join = re.search(r'href="(/accounts/signup/\?next=[^"]+)">Join free to watch', client.get(f"/film/{film.slug}/")
                     .content.decode()).group(1)

    client.post(join, {"email": "kila@example.com", "password1": PASSWORD, "next": f"/film/{film.slug}/"})
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0)
    confirmed = client.post("/" + link.split("://", 1)[1].split("/", 1)[1])

    assert confirmed.status_code == 302 and confirmed["Location"] == f"/film/{film.slug}/"
    assert "Free to watch" in client.get(confirmed["Location"]).content.decode()
