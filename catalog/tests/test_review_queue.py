"""Listing one's own drafts (?mine=true) and the staff review queue (?status=in_review), in the API and its schema
(issue 25, item 6)."""

import pytest
from rest_framework.test import APIClient

from catalog import services

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def films(make_user):
    creator, other = make_user("creator"), make_user("creator")
    draft = services.film_create(creator=creator, data={"title": "Draft Days"})
    waiting = services.film_create(creator=creator, data={"title": "Waiting Room"})
    services.film_submit(film=waiting, by=creator)
    elsewhere = services.film_create(creator=other, data={"title": "Other Queue"})
    services.film_submit(film=elsewhere, by=other)
    return creator, draft, waiting, elsewhere


def test_mine_lists_own_films_in_every_state_and_filters_by_state(films):
    creator, draft, waiting, _ = films

    every = _client(creator).get("/api/films?mine=true").json()["results"]
    drafts = _client(creator).get("/api/films?mine=true&status=draft").json()["results"]

    assert sorted(f["title"] for f in every) == ["Draft Days", "Waiting Room"]
    assert [f["title"] for f in drafts] == ["Draft Days"]


def test_staff_review_queue_lists_every_film_in_review_oldest_first(films, make_user):
    _, _, waiting, elsewhere = films

    queue = _client(make_user("admin")).get("/api/films?status=in_review")

    assert queue.status_code == 200
    assert [f["title"] for f in queue.json()["results"]] == ["Waiting Room", "Other Queue"]


def test_a_viewer_or_creator_cannot_list_by_state(films, make_user):
    creator = films[0]

    answers = [_client(user).get("/api/films?status=in_review") for user in (creator, make_user("viewer"))]

    assert [a.status_code for a in answers] == [403, 403]
    assert answers[0].json()["error"]["message"] == (
        "Only staff list films by state; for your own films add mine=true."
    )


def test_the_schema_documents_mine_and_status():
    schema = _client().get("/api/schema/", HTTP_ACCEPT="application/json").json()

    parameters = {p["name"]: p for p in schema["paths"]["/api/films"]["get"]["parameters"]}
    assert parameters["mine"]["schema"]["type"] == "boolean"
    assert "in_review" in parameters["status"]["schema"]["enum"]
