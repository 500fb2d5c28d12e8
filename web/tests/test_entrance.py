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


def test_the_sign_in_page_is_the_sites_own_with_errors_summarised_on_top(make_user):
    """Sign-in in the site's markup (like sign-up): heading, labelled fields, a way to reset the password, and a
    wrong password named in the summary at the top; the right one signs in."""
    user = make_user("viewer", password=PASSWORD)
    client = Client()
    html = client.get("/accounts/login/").content.decode()

    assert "<h1>Sign in</h1>" in html and 'class="entrance-form"' in html
    assert re.search(r'<label for="id_login">Email', html) and re.search(r'<label for="id_password">Password', html)
    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in html
    assert 'href="/accounts/signup/">Join free</a>' in html
    assert "If you have not created an account yet" not in html  # allauth's stock page is gone

    wrong = client.post("/accounts/login/", {"login": user.email, "password": "not-the-password-1"}).content.decode()
    assert wrong.index("data-error-summary") < wrong.index('id="id_login"')
    assert "The email address and/or password you specified are not correct." in wrong
    assert "_auth_user_id" not in client.session

    right = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert right.status_code == 302 and int(client.session["_auth_user_id"]) == user.pk


def test_the_password_reset_pages_are_the_sites_own(make_user):
    user = make_user("viewer", password=PASSWORD)
    client = Client()
    html = client.get("/accounts/password/reset/").content.decode()
    assert "<h1>Reset your password</h1>" in html and 'class="entrance-form"' in html
    assert re.search(r'<label for="id_email">Email', html)
    assert "Forgotten your password?" not in html  # allauth's stock wording

    invalid = client.post("/accounts/password/reset/", {"email": "not-an-email"}).content.decode()
    assert invalid.index("data-error-summary") < invalid.index('id="id_email"')
    assert len(mail.outbox) == 0

    done = client.post("/accounts/password/reset/", {"email": user.email}, follow=True).content.decode()
    assert "<h1>Check your email</h1>" in done
    assert "a link to choose a new password is on its way." in done
    link = re.search(r"/accounts/password/reset/key/[^\s]+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    choose = form_page.content.decode()
    assert "<h1>Choose a new password</h1>" in choose and 'class="entrance-form"' in choose

    changed = client.post(form_page.redirect_chain[-1][0],
                          {"password1": "a-brand-new-pass-42", "password2": "a-brand-new-pass-42"}, follow=True)
    assert "<h1>Password changed</h1>" in changed.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-brand-new-pass-42")

    used = client.get(link, follow=True).content.decode()
    assert "<h1>This link no longer works</h1>" in used
