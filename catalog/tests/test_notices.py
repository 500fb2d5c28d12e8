"""What the review tells creators and followers (issue 15): approved, or sent back with the reason; on a film's first
publication, everyone who follows its creator hears of it, once."""

import pytest

from catalog import services
from core.testing.films import media_rows
from core.testing.notices import notices
from notifications import selectors as notification_selectors
from notifications import services as notification_services

pytestmark = pytest.mark.django_db


def _in_review(creator, title="Kokoda Dawn"):
    film = services.film_create(creator=creator, data={"title": title})
    services.film_submit(film=film, by=creator)
    media_rows(film, by=creator)
    return film


def test_approval_tells_the_creator_and_the_followers_once(creator, staff, make_user):
    fans = [make_user("viewer"), make_user("viewer")]
    for fan in fans:
        notification_services.follow_set(user=fan, creator_id=creator.pk, following=True)
    bystander = make_user("viewer")
    film = _in_review(creator)
    services.film_approve(film=film, by=staff)
    assert notices(creator, "film_approved") == {("film_approved", "email"): "queued",
                                                 ("film_approved", "in_app"): "sent"}
    for fan in fans:
        assert notices(fan, "followed_creator_film") == {("followed_creator_film", "email"): "queued",
                                                         ("followed_creator_film", "in_app"): "sent"}
    assert notices(bystander, "followed_creator_film") == {}
    row = notification_selectors.notifications_of(user=fans[0], event="followed_creator_film").get(channel="in_app")
    assert row.subject == f"New from {creator.creator_profile.display_name}: Kokoda Dawn"
    assert row.url == f"http://127.0.0.1:8000/film/{film.slug}/"
    # archived and published again: not news
    services.film_archive(film=film, by=staff)
    services.film_unarchive(film=film, by=staff)
    assert notification_selectors.notifications_of(user=fans[0], event="followed_creator_film").count() == 2


def test_a_rejection_gives_the_creator_the_reason_each_time(creator, staff):
    film = _in_review(creator)
    services.film_reject(film=film, by=staff, reason="The subtitles drift after ten minutes.")
    services.film_submit(film=film, by=creator)
    services.film_reject(film=film, by=staff, reason="The credits are missing.")
    rows = notification_selectors.notifications_of(user=creator, event="film_rejected").filter(channel="in_app")
    assert sorted(row.text for row in rows) == ["Kokoda Dawn needs changes: The credits are missing.",
                                               "Kokoda Dawn needs changes: The subtitles drift after ten minutes."]


def test_a_refused_approval_tells_nobody(creator, staff, make_user):
    fan = make_user("viewer")
    notification_services.follow_set(user=fan, creator_id=creator.pk, following=True)
    film = services.film_create(creator=creator, data={"title": "No Media"})
    services.film_submit(film=film, by=creator)
    from catalog.errors import MediaNotReady

    with pytest.raises(MediaNotReady):
        services.film_approve(film=film, by=staff)
    assert notices(creator, "film_approved") == {} and notices(fan, "followed_creator_film") == {}
