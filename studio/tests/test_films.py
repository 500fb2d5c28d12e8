import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from core.testing.films import media_rows
from studio.tests.helpers import approved_creator, film_of, png
from transcoding import services as transcoding_services

pytestmark = pytest.mark.django_db


def test_film_list_shows_each_status_with_the_rejection_reason(client, make_user):
    creator = approved_creator(make_user)
    staff = make_user("admin")
    film_of(creator, "Draft One")
    rejected = film_of(creator, "Sent Back")
    catalog_services.film_submit(film=rejected, by=creator)
    catalog_services.film_reject(film=rejected, by=staff, reason="The sound is out of sync")
    in_review = film_of(creator, "Waiting")
    catalog_services.film_submit(film=in_review, by=creator)
    processing = film_of(creator, "Encoding")
    transcoding_services.job_create(film=processing, by=creator, source_path="/nowhere/master.mp4", enqueue=False)
    client.force_login(creator)
    page = client.get(reverse("studio:films")).content.decode()
    assert 'badge-draft">Draft' in page
    assert 'badge-rejected">Rejected' in page
    assert "The sound is out of sync" in page
    assert 'badge-in_review">In review' in page
    assert 'badge-processing">Processing' in page


def test_film_list_filters_by_status_and_searches_titles(client, make_user):
    creator = approved_creator(make_user)
    film_of(creator, "Sepik River")
    waiting = film_of(creator, "Highland Road")
    catalog_services.film_submit(film=waiting, by=creator)
    client.force_login(creator)
    page = client.get(reverse("studio:films"), {"status": "in_review"}).content.decode()
    assert "Highland Road" in page and "Sepik River" not in page
    page = client.get(reverse("studio:films"), {"q": "sepik"}).content.decode()
    assert "Sepik River" in page and "Highland Road" not in page


def test_film_list_shows_only_the_creators_films(client, make_user):
    creator = approved_creator(make_user, "Mine")
    other = approved_creator(make_user, "Theirs")
    film_of(creator, "My Film")
    film_of(other, "Their Film")
    client.force_login(creator)
    page = client.get(reverse("studio:films")).content.decode()
    assert "My Film" in page and "Their Film" not in page


def test_create_a_film_with_both_languages_credits_and_artwork(client, make_user):
    creator = approved_creator(make_user)
    genre = catalog_services.genre_get_or_create(name="Drama", name_tpi="Drama")
    client.force_login(creator)
    answer = client.post(reverse("studio:film-new"), {
        "title": "Sepik River", "tagline": "A river story", "synopsis": "Two brothers.",
        "title_tpi": "Wara Sepik", "tagline_tpi": "Stori bilong wara", "synopsis_tpi": "Tupela brata.",
        "runtime_minutes": "92", "release_year": "2025", "maturity": "10", "original_language": "tpi",
        "genres": [genre.pk], "tags": "river, family", "credits": "director: Jane Wari\ncast: Mary Kila as Rose",
        "poster": png("poster.png", (400, 600)), "backdrop": png("backdrop.png", (1280, 720)),
    })
    film = catalog_selectors.films_of_creator(user=creator).get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("studio:film-upload", args=[film.pk])
    assert (film.title, film.status, film.runtime_minutes, film.original_language) == (
        "Sepik River", "draft", 92, "tpi")
    assert [(t.language, t.title, t.tagline) for t in film.translations.all()] == [
        ("tpi", "Wara Sepik", "Stori bilong wara")]
    assert [(c.role, c.person.name, c.character) for c in film.credits.all()] == [
        ("director", "Jane Wari", ""), ("cast", "Mary Kila", "Rose")]
    assert sorted(film.tags.values_list("name", flat=True)) == ["family", "river"]
    assert list(film.genres.values_list("name", flat=True)) == ["Drama"]
    assert sorted((i.kind, i.width) for i in film.images.all()) == [
        ("backdrop", 780), ("backdrop", 1280), ("poster", 185), ("poster", 342)]
    page = client.get(reverse("studio:film-edit", args=[film.pk])).content.decode()
    assert "Wara Sepik" in page and "cast: Mary Kila as Rose" in page and "185×278" in page


def test_a_bad_credit_line_is_named_and_nothing_is_saved(client, make_user):
    creator = approved_creator(make_user)
    client.force_login(creator)
    answer = client.post(reverse("studio:film-new"), {
        "title": "Sepik River", "maturity": "10", "original_language": "en", "credits": "Jane Wari"})
    assert answer.status_code == 200
    assert "Line 1: write a role" in answer.content.decode()
    assert not catalog_selectors.films_of_creator(user=creator).exists()


def test_edit_keeps_other_translations(client, make_user):
    creator = approved_creator(make_user)
    film = catalog_services.film_create(creator=creator, data={"title": "Sepik", "translations": [
        {"language": "ho", "title": "Sepik HM", "tagline": "", "synopsis": ""}]})
    client.force_login(creator)
    answer = client.post(reverse("studio:film-edit", args=[film.pk]), {
        "title": "Sepik River", "maturity": "20", "original_language": "en", "title_tpi": "Wara Sepik"})
    assert answer.status_code == 302
    film.refresh_from_db()
    assert (film.title, film.maturity) == ("Sepik River", 20)
    assert sorted((t.language, t.title) for t in film.translations.all()) == [("ho", "Sepik HM"), ("tpi", "Wara Sepik")]


def test_submit_then_archive_after_publication(client, make_user):
    creator = approved_creator(make_user)
    staff = make_user("admin")
    film = film_of(creator)
    client.force_login(creator)
    answer = client.post(reverse("studio:film-submit", args=[film.pk]), follow=True)
    assert "Sent for review" in answer.content.decode()
    film.refresh_from_db()
    assert film.status == "in_review"
    media_rows(film)  # a film is published only with playable media
    catalog_services.film_approve(film=film, by=staff)
    client.post(reverse("studio:film-archive", args=[film.pk]))
    film.refresh_from_db()
    assert film.status == "archived"


def test_archiving_a_draft_says_why_not(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    answer = client.post(reverse("studio:film-archive", args=[film.pk]), follow=True)
    assert "cannot become archived" in answer.content.decode()
    film.refresh_from_db()
    assert film.status == "draft"


@pytest.mark.parametrize("name", ["film-edit", "film-upload", "film-windows", "film-job"])
def test_another_creators_film_pages_are_not_found(client, make_user, name):
    creator = approved_creator(make_user, "Mine")
    theirs = film_of(approved_creator(make_user, "Theirs"), "Their Film")
    client.force_login(creator)
    assert client.get(reverse(f"studio:{name}", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("name", ["film-edit", "film-submit", "film-archive", "film-job-retry", "film-windows",
                                  "release-plan"])
def test_posts_to_another_creators_film_are_not_found_and_change_nothing(client, make_user, name):
    creator = approved_creator(make_user, "Mine")
    theirs = film_of(approved_creator(make_user, "Theirs"), "Their Film")
    client.force_login(creator)
    answer = client.post(reverse(f"studio:{name}", args=[theirs.pk]), {
        "title": "Taken", "maturity": "10", "original_language": "en", "window_type": "avod",
        "territories": "PG", "starts_on": "2027-01-01", "plan-starts_on": "2027-01-01", "plan-territories": "PG",
        "save": "1"})
    assert answer.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status, theirs.windows.count()) == ("Their Film", "draft", 0)


def test_film_list_runs_in_a_fixed_number_of_queries(client, make_user, django_assert_max_num_queries):
    creator = approved_creator(make_user)
    client.force_login(creator)
    film_of(creator, "First")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("studio:films"))
    for n in range(5):
        film = film_of(creator, f"More {n}")
        transcoding_services.job_create(film=film, by=creator, source_path=f"/nowhere/{n}.mp4", enqueue=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("studio:films")).content.decode()
    assert page.count('badge-processing">Processing') == 5
