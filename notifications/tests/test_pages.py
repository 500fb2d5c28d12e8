"""The site's notification pages: the bell's list and read marks, the settings page, the follow button."""

from django.test import Client

from notifications import selectors, services
from notifications.models import DeliverySettings, Follow, Notification, Preference


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_page_for_a_signed_in_person_has_the_bell(viewer):
    page = _signed_in(viewer).get("/notifications/settings/").content.decode()
    assert 'data-bell data-unread-url="/api/notifications/unread-count"' in page
    assert "/static/js/bell.js" in page


def test_the_list_and_marking_read(viewer):
    client = _signed_in(viewer)
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert "Welcome to WANS" in page.content.decode()
    welcome = Notification.objects.get(user=viewer, channel="in_app")
    response = client.post(f"/notifications/{welcome.pk}/open")
    assert response.status_code == 302 and response["Location"] == "http://127.0.0.1:8000/"
    assert selectors.unread_count(user=viewer) == 0


def test_mark_all_read_from_the_page(viewer):
    services.notify(event="followed_creator_film", user=viewer, key="1", context={
        "creator_name": "R", "film_title": "F", "film_slug": "f"})
    client = _signed_in(viewer)
    assert selectors.unread_count(user=viewer) == 2
    assert client.post("/notifications/read-all").status_code == 302
    assert selectors.unread_count(user=viewer) == 0


def test_the_settings_page_saves_preferences_and_delivery(viewer):
    client = _signed_in(viewer)
    assert client.get("/notifications/settings/").status_code == 200
    response = client.post("/notifications/settings/", {
        "time_zone": "Pacific/Bougainville", "quiet_start": "22:00", "quiet_end": "06:30", "language": "tpi",
        "phone": "+675 7123 4567", "pref-new_films-in_app": "on", "pref-reminders-sms": "on",
        "pref-billing-email": "",  # transactional: stays on whatever the form says
    })
    assert response.status_code == 302
    delivery = DeliverySettings.objects.get(user=viewer)
    assert (delivery.time_zone, str(delivery.quiet_start), str(delivery.quiet_end), delivery.language,
            delivery.phone) == ("Pacific/Bougainville", "22:00:00", "06:30:00", "tpi", "+67571234567")
    enabled = set(Preference.objects.filter(user=viewer, enabled=True).values_list("category", "channel"))
    assert enabled == {("new_films", "in_app"), ("reminders", "sms")}
    assert selectors.preference_enabled(user=viewer, category="billing", channel="email") is True


def test_the_settings_page_shows_a_bad_phone_on_its_field_and_saves_nothing(viewer):
    response = _signed_in(viewer).post("/notifications/settings/", {
        "time_zone": "Pacific/Port_Moresby", "quiet_start": "22:00", "quiet_end": "", "language": "",
        "phone": "12"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"quiet_end", "phone"}
    assert not DeliverySettings.objects.exists() and not Preference.objects.exists()


def test_follow_and_unfollow_on_the_creator_page(viewer, creator):
    profile = creator.creator_profile
    client = _signed_in(viewer)
    page = client.get(f"/creators/{profile.slug}/").content.decode()
    assert "0 followers" in page and 'aria-pressed="false">Follow<' in page
    assert client.post(f"/creators/{profile.slug}/follow", {"action": "follow"}).status_code == 302
    assert Follow.objects.filter(user=viewer, creator=creator).exists()
    page = client.get(f"/creators/{profile.slug}/").content.decode()
    assert "1 follower" in page and 'aria-pressed="true">Following<' in page
    client.post(f"/creators/{profile.slug}/follow", {"action": "unfollow"})
    assert not Follow.objects.exists()


def test_a_creator_cannot_follow_themselves(creator):
    profile = creator.creator_profile
    response = _signed_in(creator).post(f"/creators/{profile.slug}/follow", {"action": "follow"}, follow=True)
    assert "You can follow only another person" in response.content.decode()
    assert not Follow.objects.exists()


def test_following_needs_sign_in(client, creator):
    response = client.post(f"/creators/{creator.creator_profile.slug}/follow", {"action": "follow"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()
