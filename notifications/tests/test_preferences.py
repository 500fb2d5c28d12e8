"""What decides whether and when a message goes: preferences (transactional ones locked on, marketing opt-in), the
daily cap, quiet hours in the person's time zone, and the language."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import events, rendering, services
from notifications.errors import NotificationInvalid, PreferenceLocked
from notifications.models import Category, Notification
from notifications.quiet import quiet_until
from notifications.tests.helpers import rows

S = Notification.Status
FILM = {"creator_name": "Rabaul Pictures", "film_title": "Kokoda Dawn", "film_slug": "kokoda-dawn"}
RENEWAL = {"plan": "Standard", "amount_minor": 2500, "currency": "PGK", "pay_to_renew": True}


def test_transactional_categories_cannot_be_turned_off(viewer):
    with pytest.raises(PreferenceLocked):
        services.preference_set(user=viewer, category=Category.BILLING, channel="email", enabled=False)
    assert services.preference_set(user=viewer, category=Category.BILLING, channel="email", enabled=True) is None


def test_a_category_turned_off_on_a_channel_writes_no_row_there(viewer, reachable):
    reachable(viewer)
    services.preference_set(user=viewer, category=Category.NEW_FILMS, channel="email", enabled=False)
    services.notify(event="followed_creator_film", user=viewer, context=FILM, key="1")
    assert rows(viewer, event="followed_creator_film") == {("followed_creator_film", "push"): S.QUEUED,
                                                           ("followed_creator_film", "in_app"): S.SENT}


def test_marketing_is_opt_in(viewer, monkeypatch):
    offer = events.Event("offer", Category.MARKETING, ("email", "in_app"), ("name",), {"name": "x"})
    monkeypatch.setitem(events.EVENTS, "offer", offer)
    monkeypatch.setattr("notifications.services.rendering.render_event", lambda **kwargs: rendering.Rendered(
        subject="An offer", text="An offer.", short="An offer.", url="https://wans.example/"))  # no template
    assert services.notify(event="offer", user=viewer, context={"name": "x"}, key="1") == []
    services.preference_set(user=viewer, category=Category.MARKETING, channel="email", enabled=True)
    assert [row.channel for row in services.notify(event="offer", user=viewer, context={"name": "x"}, key="1")] == [
        "email"]


def test_the_daily_cap_suppresses_non_transactional_mail_but_never_transactional(viewer, settings):
    settings.NOTIFICATIONS_DAILY_CAP = 2
    for n in range(3):
        services.notify(event="followed_creator_film", user=viewer, context=FILM, key=str(n))
    statuses = list(Notification.objects.filter(user=viewer, event="followed_creator_film", channel="email")
                    .order_by("id").values_list("status", "last_error"))
    assert statuses == [(S.QUEUED, ""), (S.QUEUED, ""), (S.SUPPRESSED, "daily cap of 2 reached")]
    in_app = Notification.objects.filter(user=viewer, event="followed_creator_film", channel="in_app")
    assert in_app.count() == 3  # the bell is not capped
    services.notify(event="renewal_due", user=viewer, context={**RENEWAL, "due_at": timezone.now()}, key="r")
    assert Notification.objects.get(user=viewer, event="renewal_due", channel="email").status == S.QUEUED


@pytest.mark.parametrize(("local", "expected"), [
    ("22:30", "2026-11-21T07:00"),  # after the start: until tomorrow morning
    ("03:00", "2026-11-21T07:00"),  # after midnight: until this morning
    ("07:00", None),
    ("20:59", None),
])
def test_quiet_hours_across_midnight(local, expected):
    day = "2026-11-21" if local < "12:00" else "2026-11-20"
    at = datetime.fromisoformat(f"{day}T{local}+10:00").astimezone(UTC)  # Port Moresby is UTC+10
    until = quiet_until(at=at, start=time(21), end=time(7), time_zone="Pacific/Port_Moresby")
    assert (until.astimezone(timezone.get_fixed_timezone(600)).strftime("%Y-%m-%dT%H:%M") if until else None) == \
        expected


def test_quiet_hours_delay_non_urgent_messages_to_their_end_in_the_persons_time_zone(viewer, reachable):
    reachable(viewer)
    services.delivery_settings_update(user=viewer, time_zone="Pacific/Port_Moresby", quiet_start=time(21),
                                      quiet_end=time(7), language="", phone="+67571234567")
    night = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)  # 23:00 in Port Moresby
    morning = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)  # 07:00 there
    services.notify(event="renewal_due", user=viewer, context={**RENEWAL, "due_at": night + timedelta(days=3)},
                    key="r1", at=night)
    got = {row.channel: (row.status, row.next_attempt_at) for row in Notification.objects.filter(event="renewal_due")}
    assert got == {"email": (S.DELAYED, morning), "sms": (S.DELAYED, morning), "push": (S.DELAYED, morning),
                   "in_app": (S.SENT, None)}
    # urgent (the person just paid): sent at once
    services.notify(event="payment_receipt", user=viewer, at=night, key="p1", context={
        "reference": "W1", "amount_minor": 100, "currency": "PGK", "item": "Film", "paid_at": night,
        "payment_public_id": "6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f", "provider": "Sandbox"})
    assert Notification.objects.get(event="payment_receipt", channel="email").status == S.QUEUED
    Notification.objects.exclude(event="renewal_due").delete()  # (their commit never ran in this test)
    # the sweep leaves the delayed ones until the quiet hours end, then sends them
    mail.outbox.clear()
    assert services.outbox_sweep(now=morning - timedelta(minutes=1))["enqueued"] == 0
    Notification.objects.filter(event="renewal_due").exclude(channel="in_app").update(
        next_attempt_at=timezone.now())  # the morning has come (the send checks the real clock)
    assert services.outbox_sweep()["enqueued"] == 3
    assert set(Notification.objects.filter(event="renewal_due").values_list("status", flat=True)) == {S.SENT}
    assert [m.subject for m in mail.outbox] == ["Your Standard plan renews in 3 days"]


def test_a_reminder_that_quiet_hours_would_hold_past_its_moment_is_not_sent(viewer, reachable):
    reachable(viewer)
    services.delivery_settings_update(user=viewer, time_zone="Pacific/Port_Moresby", quiet_start=time(21),
                                      quiet_end=time(7), language="", phone="+67571234567")
    night = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
    services.notify(event="rental_ending", user=viewer, at=night, key="e1", context={
        "film_title": "Rent River", "film_slug": "rent-river", "ends_at": night + timedelta(hours=5)})
    assert rows(viewer, event="rental_ending") == {("rental_ending", "sms"): S.SUPPRESSED,
                                                   ("rental_ending", "push"): S.SUPPRESSED,
                                                   ("rental_ending", "in_app"): S.SENT}


def test_messages_come_in_the_language_of_the_first_profile_or_the_chosen_one(viewer):
    from accounts import selectors as accounts_selectors
    from accounts import services as accounts_services

    profile = accounts_selectors.profiles_for(user=viewer).first()
    accounts_services.profile_update(profile=profile, language="tpi")
    [email, _in_app] = services.notify(event="followed_creator_film", user=viewer, context=FILM, key="1")
    assert email.language == "tpi" and email.subject == "Nupela samting bilong Rabaul Pictures: Kokoda Dawn"
    services.delivery_settings_update(user=viewer, time_zone="UTC", quiet_start=None, quiet_end=None,
                                      language="en", phone="")
    [email, _in_app] = services.notify(event="followed_creator_film", user=viewer, context=FILM, key="2")
    assert email.language == "en" and email.subject == "New from Rabaul Pictures: Kokoda Dawn"


def test_delivery_settings_name_each_bad_field_and_save_nothing(viewer):
    with pytest.raises(NotificationInvalid) as refused:
        services.delivery_settings_update(user=viewer, time_zone="Mars/Olympus", quiet_start=time(21),
                                          quiet_end=None, language="fr", phone="7123")
    assert set(refused.value.fields) == {"time_zone", "quiet_end", "language", "phone"}
    from notifications.models import DeliverySettings

    assert not DeliverySettings.objects.exists()
