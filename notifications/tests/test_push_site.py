"""The site's side of web push: the subscription API, the service worker at the root, the subscribe card."""

import pytest
from rest_framework.test import APIClient

from notifications.channels.push import vapid_keys_generate
from notifications.models import PushSubscription

SUBSCRIPTION = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/abc123",
    "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
             "auth": "tBHItJI5svbpez7KI4CCXg"},
}
URL = "/api/notifications/push-subscriptions"


@pytest.fixture
def api(viewer):
    client = APIClient()
    client.force_authenticate(viewer)
    return client


def test_a_subscription_is_saved_once_and_removed(api, viewer):
    assert api.post(URL, SUBSCRIPTION, format="json", HTTP_USER_AGENT="Chromium on Android").status_code == 201
    assert api.post(URL, SUBSCRIPTION, format="json").status_code == 201
    row = PushSubscription.objects.get()
    assert (row.user, row.endpoint, row.p256dh, row.auth) == (viewer, SUBSCRIPTION["endpoint"],
                                                              SUBSCRIPTION["keys"]["p256dh"], "tBHItJI5svbpez7KI4CCXg")
    assert api.delete(f"{URL}?endpoint={SUBSCRIPTION['endpoint']}").status_code == 204
    assert not PushSubscription.objects.exists()


def test_an_endpoint_moves_to_whoever_subscribes_it_now(api, make_user):
    other = make_user("viewer")
    client = APIClient()
    client.force_authenticate(other)
    api.post(URL, SUBSCRIPTION, format="json")
    client.post(URL, SUBSCRIPTION, format="json")
    assert PushSubscription.objects.get().user == other


def test_one_cannot_remove_another_persons_subscription(api, make_user):
    api.post(URL, SUBSCRIPTION, format="json")
    client = APIClient()
    client.force_authenticate(make_user("viewer"))
    assert client.delete(f"{URL}?endpoint={SUBSCRIPTION['endpoint']}").status_code == 204
    assert PushSubscription.objects.count() == 1


def test_bad_subscriptions_are_refused_naming_the_field(api):
    response = api.post(URL, {"endpoint": SUBSCRIPTION["endpoint"], "keys": {"p256dh": "k"}}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"keys.auth": ["This field is required."]}
    response = api.post(URL, {**SUBSCRIPTION, "endpoint": "http://push.example/x"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["endpoint"]
    response = api.delete(URL)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"endpoint": ["This field is required."]}
    assert not PushSubscription.objects.exists()


def test_signed_out_is_refused(db):
    assert APIClient().post(URL, SUBSCRIPTION, format="json").status_code in (401, 403)
    assert not PushSubscription.objects.exists()


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert 'addEventListener("push"' in source and 'addEventListener("notificationclick"' in source
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_account_page_carries_the_subscribe_card_with_the_public_key(client, viewer, settings):
    private, public = vapid_keys_generate()
    settings.NOTIFICATIONS_VAPID_PRIVATE_KEY, settings.NOTIFICATIONS_VAPID_PUBLIC_KEY = private, public
    client.force_login(viewer)
    page = client.get("/account/").content.decode()
    assert f'data-key="{public}"' in page
    assert 'data-endpoint="/api/notifications/push-subscriptions"' in page and 'data-worker="/sw.js"' in page
    assert "/static/js/push-subscribe.js" in page
    assert private not in page


def test_without_keys_the_card_has_no_key_and_the_words_for_it(client, viewer, settings):
    settings.NOTIFICATIONS_VAPID_PRIVATE_KEY = settings.NOTIFICATIONS_VAPID_PUBLIC_KEY = ""
    client.force_login(viewer)
    page = client.get("/account/").content.decode()
    assert 'data-key=""' in page
    assert "Notifications to browsers are not set up on this site yet." in page
