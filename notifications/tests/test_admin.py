"""The admin: dead letters with their error and "send again"; every event previewed in English and Tok Pisin."""

from django.test import Client

from notifications import events, services
from notifications.channels.base import ChannelError
from notifications.models import Notification


def _admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dead_letters_are_listed_with_their_error_and_sent_again(staff, viewer, reachable, channels):
    reachable(viewer, push=False)
    sms = next(row for row in services.notify(event="payment_failed", user=viewer, key="p1", context={
        "reference": "W1", "amount_minor": 100, "currency": "PGK", "item": "Film", "reason": "-"})
        if row.channel == "sms")
    channels.FAIL["sms"] = ChannelError("the gateway says the number is not mobile", retryable=False)
    services.notification_send(notification_id=sms.pk)
    client = _admin(staff)
    page = client.get("/admin/notifications/notification/?status__exact=dead").content.decode()
    assert "the gateway says the number is not mobile" in page and "payment_failed" in page
    channels.FAIL["sms"] = None
    response = client.post("/admin/notifications/notification/", {"action": "retry", "_selected_action": [sms.pk]})
    assert response.status_code == 302
    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT


def test_every_event_is_previewed_in_both_languages(staff):
    client = _admin(staff)
    index = client.get("/admin/notifications/notification/preview/").content.decode()
    for name in events.EVENTS:
        assert f"/admin/notifications/notification/preview/{name}/" in index
    page = client.get("/admin/notifications/notification/preview/payment_receipt/").content.decode()
    assert "Receipt: PGK 15.00 for Kokoda Dawn (rental)" in page
    assert "Risit: PGK 15.00 long Kokoda Dawn (rental)" in page
    html = client.get("/admin/notifications/notification/preview/followed_creator_film/tpi/email.html")
    assert html.status_code == 200 and "Stopim ol dispela imel" in html.content.decode()
    assert client.get("/admin/notifications/notification/preview/nothing/").status_code == 404


def test_viewers_cannot_see_the_outbox_or_previews(viewer):
    client = _admin(viewer)
    for url in ("/admin/notifications/notification/", "/admin/notifications/notification/preview/"):
        assert client.get(url).status_code in (302, 403)
