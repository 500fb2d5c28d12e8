"""The bell's API (list, unread count, mark read) and the browser's push subscription."""

import pytest
from rest_framework.test import APIClient

from notifications import services
from notifications.models import Notification, PushSubscription

FILM = {"creator_name": "Rabaul Pictures", "film_title": "Kokoda Dawn", "film_slug": "kokoda-dawn"}


@pytest.fixture
def api(viewer):
    client = APIClient()
    client.force_authenticate(viewer)
    return client


def _bell(user, n: int) -> list[int]:
    for i in range(n):
        services.notify(event="followed_creator_film", user=user, context={**FILM, "film_title": f"Film {i}"},
                        key=str(i))
    return list(Notification.objects.filter(user=user, channel="in_app", event="followed_creator_film")
                .order_by("id").values_list("pk", flat=True))


def test_list_and_unread_count(api, viewer):
    ids = _bell(viewer, 3)
    assert api.get("/api/notifications/unread-count").json() == {"unread": 4}  # and the welcome
    body = api.get("/api/notifications").json()
    assert body["count"] == 4
    first = body["results"][0]
    assert first["id"] == ids[-1]
    assert (first["event"], first["subject"], first["read"]) == ("followed_creator_film",
                                                                 "New from Rabaul Pictures: Film 2", False)
    assert first["url"] == "http://127.0.0.1:8000/film/kokoda-dawn/"


def test_mark_read_only_marks_ones_own(api, viewer, make_user):
    ids = _bell(viewer, 2)
    other = make_user("viewer")
    others = _bell(other, 1)
    response = api.post("/api/notifications/read", {"ids": [ids[0], others[0]]}, format="json")
    assert response.json() == {"marked": 1, "unread": 2}
    assert Notification.objects.get(pk=others[0]).read_at is None
    assert api.post("/api/notifications/read-all").json() == {"marked": 2, "unread": 0}
    assert api.get("/api/notifications/unread-count").json() == {"unread": 0}


def test_bad_input_names_the_field(api):
    response = api.post("/api/notifications/read", {"ids": ["x"]}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["ids.0"]
    response = api.post("/api/notifications/read", {}, format="json")
    assert response.json()["error"]["fields"] == {"ids": ["This field is required."]}


def test_signed_out_is_refused(db):
    assert APIClient().get("/api/notifications/unread-count").status_code in (401, 403)


def test_push_subscription_saved_and_removed(api, viewer):
    subscription = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc123",
                    "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1Xbjhaz"
                                       "Akj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}}
    assert api.post("/api/notifications/push-subscriptions", subscription, format="json").status_code == 201
    assert api.post("/api/notifications/push-subscriptions", subscription, format="json").status_code == 201
    row = PushSubscription.objects.get()
    assert (row.user, row.auth) == (viewer, "tBHItJI5svbpez7KI4CCXg")
    response = api.delete("/api/notifications/push-subscriptions?endpoint=" + subscription["endpoint"])
    assert response.status_code == 204
    assert not PushSubscription.objects.exists()


def test_a_push_subscription_without_keys_is_refused(api):
    response = api.post("/api/notifications/push-subscriptions",
                        {"endpoint": "https://push.example/x", "keys": {"p256dh": "k"}}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"keys.auth": ["This field is required."]}
    assert not PushSubscription.objects.exists()


def test_a_push_subscription_that_is_not_https_is_refused(api):
    response = api.post("/api/notifications/push-subscriptions",
                        {"endpoint": "http://push.example/x", "keys": {"p256dh": "k", "auth": "a"}}, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["endpoint"]
    assert api.delete("/api/notifications/push-subscriptions").status_code == 400
    assert not PushSubscription.objects.exists()
