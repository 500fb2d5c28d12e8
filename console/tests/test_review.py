"""Content approval: the queue, the review page with its checklist, approve and reject-with-reason through catalog's
services, every decision recorded, and who may do it."""

import pytest
from django.apps import apps

from core.testing.films import media_rows

pytestmark = pytest.mark.django_db


def M(label):
    return apps.get_model(label)


@pytest.fixture
def film(make_user):
    creator = make_user("creator")
    return M("catalog.Film").objects.create(title="Sepik Song", slug="sepik-song", creator=creator,
                                            status="in_review", synopsis="A river story.", runtime_minutes=20)


def test_the_queue_and_the_review_page_show_the_film_and_its_checklist(client, make_user, film):
    client.force_login(make_user("admin"))
    queue = client.get("/admin/console/review/").content.decode()
    assert f'href="/admin/console/review/{film.pk}/"' in queue
    page = client.get(f"/admin/console/review/{film.pk}/").content.decode()
    assert "Sepik Song" in page
    assert "missing: release year, poster" in page
    assert "no window: nobody could watch" in page
    assert "no completed feature job" in page


def test_approve_without_playable_media_is_refused_with_the_reason(client, make_user, film):
    client.force_login(make_user("admin"))
    answer = client.post(f"/admin/console/review/{film.pk}/", {"action": "approve", "reason": ""}, follow=True)
    film.refresh_from_db()
    assert film.status == "in_review"
    assert not M("catalog.FilmTransition").objects.filter(film=film).exists()
    assert "no playable media yet" in answer.content.decode()


def test_approve_publishes_and_records_who(client, make_user, film):
    staff = make_user("admin")
    client.force_login(staff)
    media_rows(film)  # a film is published only with playable media
    answer = client.post(f"/admin/console/review/{film.pk}/", {"action": "approve", "reason": "Lovely."})
    assert answer.status_code == 302
    film.refresh_from_db()
    assert film.status == "published"
    decision = M("catalog.FilmTransition").objects.get(film=film)
    assert (decision.from_status, decision.to_status, decision.by, decision.note) == ("in_review", "published",
                                                                                      staff, "Lovely.")


def test_reject_needs_a_reason_and_records_it_for_the_creator(client, make_user, film):
    staff = make_user("admin")
    client.force_login(staff)
    client.post(f"/admin/console/review/{film.pk}/", {"action": "reject", "reason": "  "})
    film.refresh_from_db()
    assert film.status == "in_review"
    assert not M("catalog.FilmTransition").objects.filter(film=film).exists()
    client.post(f"/admin/console/review/{film.pk}/", {"action": "reject", "reason": "The sound drops at 4:10."})
    film.refresh_from_db()
    assert film.status == "draft"
    decision = M("catalog.FilmTransition").objects.get(film=film)
    assert (decision.to_status, decision.by, decision.note) == ("draft", staff, "The sound drops at 4:10.")


def test_staff_without_the_permission_neither_see_nor_decide(client, make_user, film):
    staff = make_user("viewer")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/console/review/").status_code == 403
    assert client.get(f"/admin/console/review/{film.pk}/").status_code == 403
    assert client.post(f"/admin/console/review/{film.pk}/", {"action": "approve"}).status_code == 403
    film.refresh_from_db()
    assert film.status == "in_review"
    assert not M("catalog.FilmTransition").objects.filter(film=film).exists()


def test_the_review_page_embeds_the_sites_player_for_a_staff_preview(client, make_user, film):
    client.force_login(make_user("admin"))
    assert 'id="wans-player"' not in client.get(f"/admin/console/review/{film.pk}/").content.decode()  # no media

    media_rows(film)
    answer = client.get(f"/admin/console/review/{film.pk}/")
    page = answer.content.decode()
    assert f'id="wans-player" data-film="{film.pk}"' in page
    assert 'data-start-url="/api/sessions/start"' in page
    assert '<script src="/static/vendor/hls.min.js" defer></script>' in page
    assert '<script src="/static/js/player.js" defer></script>' in page
    assert '<button type="button" class="player-start" aria-label="Play">' in page
    assert 'class="player-status' in page  # player.js writes its status there
    # As on the site: the player's own scripts, its stream from blobs (MSE), its requests to this origin only.
    policy = dict(part.strip().split(" ", 1) for part in answer["Content-Security-Policy"].split(";"))
    assert (policy["script-src"], policy["media-src"], policy["connect-src"]) == ("'self'", "'self' blob:", "'self'")
