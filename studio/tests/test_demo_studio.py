"""seed_demo's portal: creator@wans.demo has a film in every status the portal shows and a teammate; again adds
nothing."""

import pytest
from django.utils.module_loading import import_string

from accounts import selectors as account_selectors
from catalog import selectors as catalog_selectors
from studio import demo
from studio.access import studio_seat
from studio.films import film_rows
from transcoding import selectors as transcoding_selectors

pytestmark = pytest.mark.django_db


def _seed():
    for dotted in ["accounts.demo.seed", "catalog.demo.seed", "transcoding.demo.seed", "catalog.demo.publish"]:
        import_string(dotted)()
    return demo.seed()


def test_the_demo_creator_has_a_film_in_every_status_and_a_teammate(client, settings):
    lines = _seed()
    creator = account_selectors.user_by_email(email="creator@wans.demo")
    rows = {row.film.title: row for row in film_rows(seat=studio_seat(user=creator))}
    assert rows[demo.DRAFT].status == "draft"
    assert rows[demo.PROCESSING].status == "processing"
    assert rows[demo.IN_REVIEW].status == "in_review"
    assert (rows[demo.REJECTED].status, rows[demo.REJECTED].reason) == ("rejected", demo.REJECTION)
    assert rows[demo.ARCHIVED].status == "archived"
    assert {row.status for row in rows.values()} == {"draft", "processing", "in_review", "rejected", "published",
                                                     "archived"}
    job = transcoding_selectors.jobs_latest_for_films(film_ids=[rows[demo.PROCESSING].film.pk])
    assert job[rows[demo.PROCESSING].film.pk].state == "queued"
    assert lines == ["studio: draft, processing, in review, rejected, archived, teammate viewer@wans.demo (analyst)"]

    # the teammate sees the creator's studio, read-only figures
    teammate = account_selectors.user_by_email(email=demo.TEAMMATE)
    seat = studio_seat(user=teammate)
    assert (seat.creator, seat.role) == (creator, "analyst")
    client.force_login(creator)
    assert demo.TEAMMATE in client.get("/studio/team/").content.decode()

    # again: nothing added, and catalog's publish leaves the film in review alone
    count = catalog_selectors.films_of_creator(user=creator).count()
    assert import_string("catalog.demo.publish")()
    assert demo.seed() == ["studio: every status and the teammate are there already"]
    assert catalog_selectors.films_of_creator(user=creator).count() == count
    assert catalog_selectors.films_of_creator(user=creator).get(title=demo.IN_REVIEW).status == "in_review"
