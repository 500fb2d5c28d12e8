"""A service's refusal is shown in the viewer's language (issue 13): the portal's page messages and form errors, and
the API's JSON message, for a creator whose profile speaks Tok Pisin; the code stays the same in every language, and
what a job records stays in the site's language."""

import hashlib
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from accounts import selectors as accounts_selectors
from accounts import services as accounts_services
from rights import selectors as rights_selectors
from rights import services as rights_services
from studio.tests.helpers import approved_creator, film_of
from transcoding import selectors as transcoding_selectors

pytestmark = pytest.mark.django_db


def _in_tok_pisin(client, user):
    """Sign in and choose the account's profile, set to Tok Pisin (as the viewer site's profile picker does)."""
    profile = accounts_selectors.profiles_for(user=user).first()
    accounts_services.profile_update(profile=profile, language="tpi")
    client.force_login(user)
    client.post(f"/profiles/{profile.pk}/choose")
    return client


@pytest.fixture
def svod_in_png(make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    window = rights_services.window_create(film=film, by=creator, window_type="svod", territories="PG",
                                           starts_at=datetime(2027, 1, 1, tzinfo=UTC))
    return creator, film, window


def test_an_overlapping_window_is_refused_in_tok_pisin_on_the_page(client, svod_in_png):
    creator, film, first = svod_in_png
    _in_tok_pisin(client, creator)
    answer = client.post(reverse("studio:film-windows", args=[film.pk]), {
        "window_type": "svod", "territories": "PG, FJ", "starts_on": "2027-03-01"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert (f"Dispela i kalap long windo SVOD #{first.pk} (2027-01-01 00:00 UTC i go i no gat pinis) long PG."
            in page)
    assert "This overlaps" not in page
    assert list(rights_selectors.windows_for_film(film_id=film.pk)) == [first]


def test_the_api_answers_in_the_requests_language_with_the_same_code(client, svod_in_png):
    creator, film, first = svod_in_png
    client.force_login(creator)
    body = {"film": film.pk, "window_type": "svod", "territories": "PG", "starts_at": "2027-03-01T00:00:00Z"}
    english = client.post("/api/windows", body, content_type="application/json").json()["error"]
    tok_pisin = client.post("/api/windows", body, content_type="application/json",
                            headers={"Accept-Language": "tpi"}).json()["error"]
    assert english["message"].startswith(f"This overlaps SVOD window #{first.pk} (2027-01-01 00:00 UTC to ")
    assert tok_pisin["message"].startswith(f"Dispela i kalap long windo SVOD #{first.pk} (2027-01-01 00:00 UTC i go ")
    assert english["code"] == tok_pisin["code"] == "window_overlap"
    assert english["conflicting_window"] == tok_pisin["conflicting_window"]
    assert rights_selectors.windows_for_film(film_id=film.pk).count() == 1


def test_a_window_without_its_price_names_the_field_in_tok_pisin(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    _in_tok_pisin(client, creator)
    answer = client.post(reverse("studio:film-windows", args=[film.pk]), {
        "window_type": "tvod", "territories": "PG", "starts_on": "2027-03-01"})
    assert answer.status_code == 400
    assert "Dispela kain windo i mas gat prais long wanpela kain mani o moa." in answer.content.decode()
    assert not rights_selectors.windows_for_film(film_id=film.pk).exists()


def test_a_refused_move_of_the_film_says_why_in_tok_pisin(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)  # a draft: never published, so nothing to archive
    _in_tok_pisin(client, creator)
    answer = client.post(reverse("studio:film-archive", args=[film.pk]), follow=True)
    assert "Piksa i stap olsem draft nau, olsem na em i no inap go long stoa." in answer.content.decode()
    film.refresh_from_db()
    assert film.status == "draft"


def test_inviting_yourself_is_refused_in_tok_pisin(client, make_user):
    creator = approved_creator(make_user)
    _in_tok_pisin(client, creator)
    answer = client.post(reverse("studio:team"), {"email": creator.email, "role": "editor"})
    assert answer.status_code == 400
    assert "Em i adres bilong yu yet." in answer.content.decode()
    assert not accounts_selectors.team_members_of(creator=creator).exists()


def test_upload_refusals_are_in_tok_pisin_and_the_job_records_english(client, make_user, settings):
    settings.TRANSCODING_UPLOAD_PART_BYTES = 4
    creator = approved_creator(make_user)
    film = film_of(creator)
    _in_tok_pisin(client, creator)
    upload_id = client.post("/api/upload/url", {"film": film.pk, "filename": "m.mp4", "size": 4},
                            content_type="application/json").json()["upload_id"]
    damaged = client.put(f"/api/upload/{upload_id}/parts/1", b"abcX", content_type="application/octet-stream",
                         headers={"X-Part-SHA256": hashlib.sha256(b"abcd").hexdigest()}).json()["error"]
    assert damaged["message"] == "Hap 1 i kamap bagarap (SHA-256 bilong en i narapela): salim gen."
    assert damaged["fields"] == {"sha256": ["Mismatch."]}  # what a client matches on stays as it was
    client.put(f"/api/upload/{upload_id}/parts/1", b"\0\0\0\0", content_type="application/octet-stream")
    refused = client.post("/api/upload/complete", {"upload_id": upload_id}, content_type="application/json").json()
    tok_pisin = ("Dispela i no fail vidio mipela i ken ritim: insait bilong en i no wanpela kain odio o vidio mipela "
                 "i save. Lukim olsem yu makim stretpela fail, na eksportim olsem MP4, MOV, MKV o MXF.")
    assert (refused["error"]["code"], refused["error"]["reason"], refused["error"]["message"]) == (
        "media_rejected", "not_media", tok_pisin)
    job = transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk])[film.pk]
    assert job.error.startswith("This is not a video file we can read:")  # the record: the site's language
    assert client.get(reverse("studio:film-job", args=[film.pk])).json()["job"]["error"] == tok_pisin
    page = client.get(reverse("studio:film-upload", args=[film.pk])).content.decode()
    assert "insait bilong en i no wanpela kain odio o vidio" in page


def test_an_application_with_a_taken_address_is_refused_in_tok_pisin(client, make_user):
    approved_creator(make_user, "Wari Pictures")  # wari-pictures is taken
    viewer = make_user("viewer")
    _in_tok_pisin(client, viewer)
    answer = client.post(reverse("studio:apply"), {"display_name": "Wari", "slug": "wari-pictures", "country": "PG"})
    assert "Narapela kriyeta i gat dispela adres pinis: makim narapela." in answer.content.decode()
    assert accounts_selectors.creator_profile_for(user=viewer) is None
