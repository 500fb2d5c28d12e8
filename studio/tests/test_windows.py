from datetime import UTC, datetime

import pytest
from django.urls import reverse

from rights import selectors as rights_selectors
from rights import services as rights_services
from studio.tests.helpers import approved_creator, film_of
from studio.windows import prices_parse

pytestmark = pytest.mark.django_db


def _windows(film):
    return [(w.window_type, w.territories, w.starts_at.date().isoformat(),
             w.ends_at.date().isoformat() if w.ends_at else None,
             dict(w.prices.values_list("currency", "amount_minor")))
            for w in rights_selectors.windows_for_film(film_id=film.pk)]


def test_prices_are_read_into_minor_units():
    assert prices_parse("PGK 15.00\nUSD 4.5\nJPY 500\n") == {"PGK": 1500, "USD": 450, "JPY": 500}
    for bad in ("PGK", "XXX 1.00", "PGK 1.005", "PGK -1", "JPY 5.5"):
        with pytest.raises(ValueError):
            prices_parse(bad)


def test_add_a_priced_window_and_see_it_on_the_timeline(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    answer = client.post(reverse("studio:film-windows", args=[film.pk]), {
        "window_type": "tvod", "territories": "pg, pacific", "starts_on": "2027-02-01", "ends_on": "2027-06-01",
        "prices": "PGK 15.00\nUSD 4.99", "rental_hours": "48"})
    assert answer.status_code == 302
    assert _windows(film) == [("tvod", "PG,PACIFIC", "2027-02-01", "2027-06-01", {"PGK": 1500, "USD": 499})]
    page = client.get(reverse("studio:film-windows", args=[film.pk])).content.decode()
    assert "PG,PACIFIC" in page and "PGK 15.00, USD 4.99" in page


def test_an_overlap_is_refused_on_the_form_naming_the_window(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    first = rights_services.window_create(film=film, by=creator, window_type="svod", territories="PG",
                                          starts_at=datetime(2027, 1, 1, tzinfo=UTC))
    client.force_login(creator)
    answer = client.post(reverse("studio:film-windows", args=[film.pk]), {
        "window_type": "svod", "territories": "PACIFIC", "starts_on": "2027-03-01"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert f"This overlaps SVOD window #{first.pk}" in page
    assert f'kind-svod is-clash" id="window-{first.pk}"' in page
    assert len(_windows(film)) == 1


def test_a_rent_window_without_price_names_the_field(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    answer = client.post(reverse("studio:film-windows", args=[film.pk]), {
        "window_type": "tvod", "territories": "PG", "starts_on": "2027-03-01"})
    assert answer.status_code == 400
    assert "needs a price in at least one currency" in answer.content.decode()
    assert _windows(film) == []


def test_edit_and_delete_a_window(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    window = rights_services.window_create(film=film, by=creator, window_type="avod", territories="PG",
                                           starts_at=datetime(2027, 1, 1, tzinfo=UTC))
    client.force_login(creator)
    answer = client.post(reverse("studio:window-edit", args=[film.pk, window.pk]), {
        "window_type": "tvod", "territories": "WORLD", "starts_on": "2027-05-01", "ends_on": "2027-09-01"})
    assert answer.status_code == 302
    assert _windows(film) == [("avod", "WORLD", "2027-05-01", "2027-09-01", {})]
    client.post(reverse("studio:window-delete", args=[film.pk, window.pk]))
    assert _windows(film) == []


def test_another_films_window_is_not_found(client, make_user):
    creator = approved_creator(make_user, "Mine")
    mine = film_of(creator, "Mine")
    other = approved_creator(make_user, "Theirs")
    theirs = film_of(other, "Theirs")
    window = rights_services.window_create(film=theirs, by=other, window_type="avod", territories="PG",
                                           starts_at=datetime(2027, 1, 1, tzinfo=UTC))
    client.force_login(creator)
    for film_id in (mine.pk, theirs.pk):
        assert client.get(reverse("studio:window-edit", args=[film_id, window.pk])).status_code == 404
        assert client.post(reverse("studio:window-delete", args=[film_id, window.pk])).status_code == 404
    assert _windows(theirs) == [("avod", "PG", "2027-01-01", None, {})]


def test_release_plan_is_proposed_then_saved(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    client.force_login(creator)
    plan = {"plan-starts_on": "2027-01-01", "plan-territories": "PG"}
    answer = client.post(reverse("studio:release-plan", args=[film.pk]), plan)
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Proposed windows (not saved yet)" in page and "PGK 15.00" in page
    assert _windows(film) == []
    answer = client.post(reverse("studio:release-plan", args=[film.pk]), {**plan, "save": "1"})
    assert answer.status_code == 302
    assert [(t, s, e) for t, _terr, s, e, _p in _windows(film)] == [
        ("festival", "2027-01-01", "2027-01-31"), ("cinema", "2027-01-31", "2027-04-01"),
        ("collector", "2027-04-01", None), ("pvod", "2027-04-01", "2027-05-01"), ("tvod", "2027-05-01", None),
        ("svod", "2027-06-30", None), ("avod", "2028-01-01", None)]


def test_release_plan_preview_refuses_an_overlap_and_saves_nothing(client, make_user):
    creator = approved_creator(make_user)
    film = film_of(creator)
    rights_services.window_create(film=film, by=creator, window_type="svod", territories="PG",
                                  starts_at=datetime(2027, 1, 1, tzinfo=UTC))
    client.force_login(creator)
    answer = client.post(reverse("studio:release-plan", args=[film.pk]),
                         {"plan-starts_on": "2027-01-01", "plan-territories": "PG"})
    assert answer.status_code == 400
    assert "This overlaps SVOD window" in answer.content.decode()
    assert len(_windows(film)) == 1
