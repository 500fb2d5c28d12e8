"""A film on a viewer's My List opens to them (issue 15): a subscription window where they live that their plan
covers, or a free window there. Told once per window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import selectors as accounts_selectors
from catalog import services as catalog_services
from core.testing.films import window_open
from core.testing.notices import notices
from rights import services

pytestmark = pytest.mark.django_db
SUBSCRIBERS: set[int] = set()


class Subscriptions:
    """The entitlement question's answer (billing's, in production): subscribers hold every subscription window."""

    def windows_entitled(self, *, user, windows, at):
        return {window.pk for window in windows if user.pk in SUBSCRIBERS and window.window_type == "svod"}


@pytest.fixture(autouse=True)
def _entitlements(settings):
    settings.RIGHTS_ENTITLEMENT_PROVIDER = f"{__name__}.Subscriptions"
    SUBSCRIBERS.clear()


def _saves(user, film):
    catalog_services.my_list_add(profile=accounts_selectors.profiles_for(user=user).first(), film_id=film.pk)


def test_a_saved_film_opening_on_subscription_tells_subscribers_there(film, staff, make_user):
    subscriber, unsubscribed, abroad = make_user("viewer"), make_user("viewer"), make_user("viewer")
    abroad.country = "FJ"
    abroad.save(update_fields=["country"])
    for user in (subscriber, unsubscribed, abroad):
        _saves(user, film)
    SUBSCRIBERS.update({subscriber.pk, abroad.pk})
    now = timezone.now()
    window_open(film=film, staff=staff, window_type="svod", territories="PG", starts_at=now - timedelta(hours=1))
    assert services.my_list_openings_notify(at=now) == 2  # email and the bell, for the subscriber in PG
    assert services.my_list_openings_notify(at=now + timedelta(minutes=15)) == 0
    assert notices(subscriber, "my_list_available") == {("my_list_available", "email"): "queued",
                                                        ("my_list_available", "in_app"): "sent"}
    assert notices(unsubscribed, "my_list_available") == {}  # not on a plan: nothing opened to them
    assert notices(abroad, "my_list_available") == {}  # the window is not open in Fiji


def test_a_free_window_opening_tells_everyone_there_who_saved_it(film, staff, make_user):
    saver = make_user("viewer")
    _saves(saver, film)
    now = timezone.now()
    window_open(film=film, staff=staff, window_type="avod", territories="PG", starts_at=now - timedelta(hours=2))
    services.my_list_openings_notify(at=now)
    from notifications import selectors

    row = selectors.notifications_of(user=saver, event="my_list_available").get(channel="in_app")
    assert row.subject == f"{film.title} is now free to watch"


def test_a_window_that_opened_long_ago_is_not_news(film, staff, make_user):
    saver = make_user("viewer")
    _saves(saver, film)
    now = timezone.now()
    window_open(film=film, staff=staff, window_type="avod", territories="PG", starts_at=now - timedelta(days=3))
    assert services.my_list_openings_notify(at=now) == 0
