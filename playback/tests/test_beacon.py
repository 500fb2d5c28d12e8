"""The player releases its stream with navigator.sendBeacon when the page goes away (issue 22, item 18): a beacon
cannot set headers, so the stop arrives form-encoded with the CSRF token in its body, on the session cookie."""

import json

import pytest
from django.apps import apps
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_beacon_stop_with_the_token_in_its_body_ends_the_session(viewer, film, svod, media, subscribe):
    subscribe(viewer)
    client = Client(enforce_csrf_checks=True, HTTP_CF_IPCOUNTRY="PG")
    client.force_login(viewer)
    token = str(client.get(f"/watch/{film.slug}/").context["csrf_token"])
    started = client.post("/api/sessions/start", json.dumps({"film": film.pk}), content_type="application/json",
                          HTTP_X_CSRFTOKEN=token).json()

    refused = client.post(started["stop_url"], "position=12.5", content_type="application/x-www-form-urlencoded")
    assert refused.status_code == 403  # no token: refused, nothing changed
    Session = apps.get_model("playback", "PlaybackSession")
    assert Session.objects.get().ended_at is None

    answer = client.post(started["stop_url"], f"csrfmiddlewaretoken={token}&position=12.5&duration=4",
                         content_type="application/x-www-form-urlencoded")

    assert answer.status_code == 200
    session = Session.objects.get()
    assert session.ended_at is not None and session.position_seconds == 12.5
