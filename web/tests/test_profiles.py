"""Who's watching?, switching, managing profiles, and the interface in the profile's language."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts import selectors as account_selectors
from accounts import services as account_services

pytestmark = pytest.mark.django_db


def profiles_of(user) -> list:
    return list(account_selectors.profiles_for(user=user))


def test_who_is_watching_lists_the_accounts_profiles(signed_in, viewer_user, make_user):
    account_services.profile_create(user=viewer_user, name="Kids", is_kids=True)
    stranger = make_user("viewer")
    account_services.profile_create(user=stranger, name="Stranger")

    html = signed_in.get("/profiles/").content.decode()

    assert "Who&#x27;s watching?" in html or "Who's watching?" in html
    assert "Kids" in html
    assert "Stranger" not in html


def test_choosing_a_profile_remembers_it_and_goes_on(viewer_user):
    client = Client()
    client.post("/accounts/login/", {"login": viewer_user.email, "password": "correct-horse-battery-9"})
    kids = account_services.profile_create(user=viewer_user, name="Kids", is_kids=True)

    response = client.post(f"/profiles/{kids.pk}/choose", {"next": "/browse/"})

    assert response.status_code == 302
    assert response["Location"] == "/browse/"
    assert client.session["wans_profile_id"] == kids.pk
    assert client.get("/").status_code == 200


def test_cannot_choose_another_accounts_profile(signed_in, make_user):
    other = account_selectors.profiles_for(user=make_user("viewer")).first()

    assert signed_in.post(f"/profiles/{other.pk}/choose").status_code == 404
    assert signed_in.session["wans_profile_id"] == signed_in.profile.pk


def test_choose_refuses_a_redirect_to_another_site(signed_in):
    response = signed_in.post(f"/profiles/{signed_in.profile.pk}/choose", {"next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_create_a_kids_profile(signed_in, viewer_user):
    response = signed_in.post(
        "/profiles/new/", {"name": "Little One", "language": "tpi", "is_kids": "on", "maturity_limit": "40"}
    )

    assert response.status_code == 302
    profile = next(p for p in profiles_of(viewer_user) if p.name == "Little One")
    assert (profile.language, profile.is_kids, profile.maturity_limit) == ("tpi", True, 10)  # kids stay at PG


def test_create_with_a_taken_name_shows_the_error_on_the_field(signed_in, viewer_user):
    response = signed_in.post(
        "/profiles/new/", {"name": signed_in.profile.name.upper(), "language": "en", "maturity_limit": "40"}
    )

    assert response.status_code == 200
    assert "Another profile on this account already has that name." in response.content.decode()
    assert len(profiles_of(viewer_user)) == 1


def test_sixth_profile_is_refused_with_a_message(signed_in, viewer_user):
    for n in range(4):
        account_services.profile_create(user=viewer_user, name=f"P{n}")

    response = signed_in.post("/profiles/new/", {"name": "Sixth", "language": "en", "maturity_limit": "40"})

    assert response.status_code == 200
    assert "at most 5 profiles" in response.content.decode()
    assert len(profiles_of(viewer_user)) == 5


def test_edit_the_current_profile_switches_the_interface_language(signed_in):
    response = signed_in.post(
        f"/profiles/{signed_in.profile.pk}/edit/",
        {"name": "Mama", "language": "tpi", "maturity_limit": "40"},
    )

    assert response.status_code == 302
    html = signed_in.get("/profiles/").content.decode()
    assert '<html lang="tpi"' in html
    assert "Husat i lukluk?" in html
    assert "Lukluk raun" in html  # "Browse" in the header


def test_delete_a_profile_but_not_the_last(signed_in, viewer_user):
    extra = account_services.profile_create(user=viewer_user, name="Extra")

    assert signed_in.post(f"/profiles/{extra.pk}/delete").status_code == 302
    assert extra.pk not in [p.pk for p in profiles_of(viewer_user)]

    response = signed_in.post(f"/profiles/{signed_in.profile.pk}/delete", follow=True)
    assert "this is the last one" in response.content.decode()
    assert [p.pk for p in profiles_of(viewer_user)] == [signed_in.profile.pk]


def test_deleting_the_chosen_profile_falls_back_to_another(signed_in, viewer_user):
    other = account_services.profile_create(user=viewer_user, name="Other")
    signed_in.post(f"/profiles/{other.pk}/choose")

    signed_in.post(f"/profiles/{other.pk}/delete")

    assert "wans_profile_id" not in signed_in.session
    assert signed_in.get("/my-list/").status_code == 200


def test_another_accounts_profile_cannot_be_edited_or_deleted(signed_in, make_user):
    stranger = make_user("viewer")
    other = account_selectors.profiles_for(user=stranger).first()

    assert signed_in.get(f"/profiles/{other.pk}/edit/").status_code == 404
    assert signed_in.post(f"/profiles/{other.pk}/delete").status_code == 404
    assert [p.pk for p in profiles_of(stranger)] == [other.pk]


def test_profile_pages_need_sign_in(guest):
    assert guest.get("/profiles/").status_code == 302
    assert guest.get("/profiles/manage/").status_code == 302


def test_the_committed_translations_are_compiled_from_the_po_file(tmp_path):
    """locale/tpi/LC_MESSAGES/django.mo is committed; it must be what msgfmt makes of django.po."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext is not installed")
    folder = Path(settings.BASE_DIR) / "locale" / "tpi" / "LC_MESSAGES"
    out = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(out), str(folder / "django.po")], check=True)

    assert out.read_bytes() == (folder / "django.mo").read_bytes()


def test_who_is_watching_has_an_add_profile_tile_until_the_limit(signed_in, viewer_user):
    html = signed_in.get("/profiles/").content.decode()
    assert '<a class="profile-tile profile-add" href="/profiles/new/">' in html

    for n in range(4):
        account_services.profile_create(user=viewer_user, name=f"P{n}")
    assert "profile-add" not in signed_in.get("/profiles/").content.decode()


def test_a_new_profile_starts_at_a_safe_maturity_limit(signed_in):
    html = signed_in.get("/profiles/new/").content.decode()

    assert '<option value="20" selected>M</option>' in html
    assert '<option value="40" selected>' not in html
