"""Becoming a creator through the API (issue 25, item 5): apply with a profile, prepare films, wait for staff, who
approve or refuse with a reason; refused calls say what to do."""

import pytest
from rest_framework.test import APIClient

from accounts import selectors, services
from catalog.models import Film

pytestmark = pytest.mark.django_db

APPLICATION = {
    "display_name": "Goroka Lens",
    "bio": "Short documentaries from the Highlands.",
    "country": "PG",
    "links": ["https://gorokalens.example", "https://festival.example/goroka-lens"],
}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_viewer_refused_a_film_is_told_to_apply_and_nothing_is_made(make_user):
    viewer = make_user("viewer")

    answer = _client(viewer).post("/api/films", {"title": "Mine"}, format="json")

    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "permission_denied"
    assert error["message"] == (
        "Only creators and staff can add films: apply to become a creator at POST /api/creators/me."
    )
    assert Film.objects.count() == 0


def test_the_role_is_not_changed_through_the_user_endpoint(make_user):
    viewer = make_user("viewer")

    answer = _client(viewer).patch("/api/user/me", {"role": "creator"}, format="json")

    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["role"] == [
        "The role is not changed here: apply to become a creator at POST /api/creators/me."
    ]
    assert selectors.user_role(user=viewer).value == "viewer"


def test_apply_prepare_a_film_wait_then_submit_once_staff_approve(make_user):
    viewer, staff = make_user("viewer"), make_user("admin")
    client = _client(viewer)

    applied = client.post("/api/creators/me", APPLICATION, format="json")
    draft = client.post("/api/films", {"title": "Highland Rain"}, format="json")
    early = client.post(f"/api/films/{draft.json()['id']}/submit", {}, format="json")
    public_while_waiting = APIClient().get("/api/creators/goroka-lens")

    assert applied.status_code == 201, applied.json()
    assert {k: applied.json()[k] for k in ("slug", "display_name", "status", "links")} == {
        "slug": "goroka-lens", "display_name": "Goroka Lens", "status": "pending", "links": APPLICATION["links"]
    }
    assert draft.status_code == 201
    assert early.status_code == 403
    assert early.json()["error"]["code"] == "creator_not_approved"
    assert Film.objects.get().status == "draft"
    assert public_while_waiting.status_code == 404

    queue = _client(staff).get("/api/creators/applications?status=pending")
    approved = _client(staff).post("/api/creators/goroka-lens/approve")
    submitted = client.post(f"/api/films/{draft.json()['id']}/submit", {}, format="json")

    assert [row["email"] for row in queue.json()["results"]] == [viewer.email]
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert submitted.status_code == 200, submitted.json()
    assert Film.objects.get().status == "in_review"
    assert APIClient().get("/api/creators/goroka-lens").json()["links"] == APPLICATION["links"]


def test_staff_refuse_with_a_reason_and_the_applicant_applies_again(make_user):
    viewer, staff = make_user("viewer"), make_user("admin")
    _client(viewer).post("/api/creators/me", APPLICATION, format="json")

    no_reason = _client(staff).post("/api/creators/goroka-lens/reject", {"reason": ""}, format="json")
    refused = _client(staff).post(
        "/api/creators/goroka-lens/reject", {"reason": "Add a link to your earlier work."}, format="json"
    )
    mine = _client(viewer).get("/api/creators/me").json()
    again = _client(viewer).post(
        "/api/creators/me", {**APPLICATION, "links": ["https://vimeo.example/goroka"]}, format="json"
    )

    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    assert refused.status_code == 200
    assert (mine["status"], mine["rejection_reason"]) == ("rejected", "Add a link to your earlier work.")
    assert again.status_code == 201
    profile = selectors.creator_profile_for(user=viewer)
    assert (profile.status, profile.rejection_reason, profile.links) == (
        "pending", "", ["https://vimeo.example/goroka"]
    )


def test_applying_twice_or_as_a_creator_is_refused_and_viewers_cannot_review(make_user):
    viewer, creator, other = make_user("viewer"), make_user("creator"), make_user("viewer")
    first = _client(viewer).post("/api/creators/me", APPLICATION, format="json")

    twice = _client(viewer).post("/api/creators/me", APPLICATION, format="json")
    as_creator = _client(creator).post("/api/creators/me", {"display_name": "Again"}, format="json")
    taken = _client(other).post("/api/creators/me", {"display_name": "X", "slug": "goroka-lens"}, format="json")
    bad_links = _client(other).post("/api/creators/me", {"display_name": "X", "links": ["not a url"]}, format="json")
    review = _client(other).post("/api/creators/goroka-lens/approve")
    queue = _client(other).get("/api/creators/applications")

    assert first.status_code == 201
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "application_pending")
    assert (as_creator.status_code, as_creator.json()["error"]["code"]) == (409, "already_creator")
    assert (taken.status_code, list(taken.json()["error"]["fields"])) == (400, ["slug"])
    assert (bad_links.status_code, list(bad_links.json()["error"]["fields"])) == (400, ["links.0"])
    assert (review.status_code, queue.status_code) == (403, 403)
    assert selectors.creator_profile_for(user=viewer).status == "pending"
    assert selectors.creator_profile_for(user=other) is None


def test_the_admin_approves_through_the_same_service(make_user, client):
    viewer, superuser = make_user("viewer"), make_user("super admin")
    profile = services.creator_apply(user=viewer, display_name="Goroka Lens")
    client.force_login(superuser)

    answer = client.post(
        "/admin/accounts/creatorprofile/", {"action": "approve_applications", "_selected_action": [profile.pk]}
    )

    assert answer.status_code == 302
    profile.refresh_from_db()
    assert (profile.status, profile.reviewed_by) == ("approved", superuser)
    assert selectors.creator_can_submit(user=viewer) is True
