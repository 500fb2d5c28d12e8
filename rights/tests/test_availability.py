from datetime import timedelta, timezone

import pytest

from rights import selectors, services
from rights.tests.conftest import T0, TVOD

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def _window(film, by, window_type, territories="PG", start=T0, end=None, **terms):
    return services.window_create(
        film=film, by=by, window_type=window_type, territories=territories, starts_at=start, ends_at=end, **terms
    )


def _ask(film, at, territory="PG", user=None):
    return selectors.availability_for(film_id=film.pk, territory=territory, at=at, user=user)


def test_avod_is_free_to_watch(film, creator, make_user):
    window = _window(film, creator, "avod")

    answer = _ask(film, T0 + DAY, user=make_user("viewer"))

    assert answer["access"] == {"granted": True, "window": {"id": window.pk, "type": "avod"}, "via": "free"}
    assert answer["offers"] == []


def test_tvod_offers_a_rental_in_the_territorys_currency(film, creator):
    window = _window(film, creator, "tvod", territories="PG,US", prices=TVOD)

    png = _ask(film, T0, territory="PG")
    usa = _ask(film, T0, territory="US")

    assert png["access"]["granted"] is False
    assert png["offers"] == [
        {
            "kind": "rent",
            "window_id": window.pk,
            "window_type": "tvod",
            "price": {"amount_minor": 1500, "currency": "PGK", "display": "PGK 15.00"},
            "available_until": None,
            "rental_hours": 48,
            "start_window_days": 30,
        }
    ]
    assert usa["offers"][0]["price"]["display"] == "USD 4.99"


def test_price_falls_back_to_usd_where_the_local_currency_is_not_set(film, creator):
    _window(film, creator, "pvod", territories="NZ", prices={"USD": 1999})

    assert _ask(film, T0, territory="NZ")["offers"][0]["price"]["currency"] == "USD"


@pytest.mark.parametrize(
    "window_type,terms,kind",
    [
        ("svod", {}, "subscribe"),
        ("pvod", {"prices": TVOD}, "buy"),
        ("collector", {"prices": TVOD, "edition_size": 10}, "buy"),
        ("ppv", {"prices": TVOD, "event_starts_at": T0 + 2 * DAY}, "ticket"),
        ("festival", {"prices": TVOD, "festival_ticketed": True}, "ticket"),
    ],
)
def test_each_paid_window_type_makes_its_offer(film, creator, window_type, terms, kind):
    _window(film, creator, window_type, end=T0 + 10 * DAY, **terms)

    answer = _ask(film, T0 + DAY)

    assert answer["access"]["granted"] is False
    assert [offer["kind"] for offer in answer["offers"]] == [kind]


def test_free_festival_grants_access(film, creator):
    _window(film, creator, "festival", end=T0 + 10 * DAY, festival_ticketed=False)

    assert _ask(film, T0)["access"]["via"] == "free"


def test_cinema_window_grants_nothing_and_says_until_when(film, creator):
    _window(film, creator, "cinema", end=T0 + 30 * DAY)
    tvod = _window(film, creator, "tvod", start=T0 + 30 * DAY, prices=TVOD)

    answer = _ask(film, T0 + DAY)

    assert answer["access"]["granted"] is False
    assert answer["in_cinemas_until"] == T0 + 30 * DAY
    assert answer["offers"] == []
    assert answer["next_window"] == {"id": tvod.pk, "type": "tvod", "starts_at": T0 + 30 * DAY}


def test_start_is_inclusive_end_exclusive(film, creator):
    _window(film, creator, "avod", end=T0 + 10 * DAY)

    assert _ask(film, T0 - timedelta(microseconds=1))["access"]["granted"] is False
    assert _ask(film, T0)["access"]["granted"] is True
    assert _ask(film, T0 + 10 * DAY - timedelta(microseconds=1))["access"]["granted"] is True
    assert _ask(film, T0 + 10 * DAY)["access"]["granted"] is False


def test_open_end_stays_open(film, creator):
    _window(film, creator, "avod")

    assert _ask(film, T0 + 5000 * DAY)["access"]["granted"] is True


def test_times_in_other_time_zones_compare_as_instants(film, creator):
    _window(film, creator, "avod")
    port_moresby = timezone(timedelta(hours=10))

    assert _ask(film, (T0 + timedelta(hours=9)).astimezone(port_moresby))["access"]["granted"] is True
    assert _ask(film, (T0 - timedelta(hours=1)).astimezone(port_moresby))["access"]["granted"] is False


def test_other_territories_see_nothing_and_are_told_what_comes(film, creator):
    _window(film, creator, "avod", territories="AU")
    coming = _window(film, creator, "svod", territories="PG", start=T0 + 60 * DAY)

    answer = _ask(film, T0 + DAY, territory="PG")

    assert answer["open_windows"] == []
    assert answer["access"]["granted"] is False
    assert answer["next_window"] == {"id": coming.pk, "type": "svod", "starts_at": T0 + 60 * DAY}


def test_staff_hold_every_window_before_billing(film, creator, staff):
    tvod = _window(film, creator, "tvod", prices=TVOD)

    answer = _ask(film, T0, user=staff)

    assert answer["access"] == {"granted": True, "window": {"id": tvod.pk, "type": "tvod"}, "via": "staff"}


class GrantsTvod:
    def windows_entitled(self, *, user, windows, at):
        return {w.pk for w in windows if w.window_type == "tvod" and user is not None}


def test_the_configured_entitlement_provider_is_asked(film, creator, make_user, settings):
    settings.RIGHTS_ENTITLEMENT_PROVIDER = "rights.tests.test_availability.GrantsTvod"
    tvod = _window(film, creator, "tvod", prices=TVOD)

    answer = _ask(film, T0, user=make_user("viewer"))

    assert answer["access"] == {"granted": True, "window": {"id": tvod.pk, "type": "tvod"}, "via": "entitlement"}


def test_bulk_costs_the_same_queries_for_1_and_50_films(film, creator, make_film, django_assert_num_queries):
    films = [film] + [make_film(f"Film {n}") for n in range(49)]
    for each in films:
        _window(each, creator, "tvod", prices=TVOD)

    with django_assert_num_queries(2):
        one = selectors.availability_bulk(film_ids=[film.pk], territory="PG", at=T0, user=None)
    with django_assert_num_queries(2):
        many = selectors.availability_bulk(film_ids=[f.pk for f in films], territory="PG", at=T0, user=None)

    assert len(one) == 1 and len(many) == 50
    assert all(answer["offers"][0]["kind"] == "rent" for answer in many.values())


def test_film_ids_open_or_upcoming_by_access_type(film, creator, make_film):
    rentable, later, abroad = film, make_film("Later"), make_film("Abroad")
    _window(rentable, creator, "tvod", prices=TVOD)
    _window(later, creator, "svod", start=T0 + 30 * DAY)
    _window(abroad, creator, "avod", territories="US")

    def ids(**kwargs):
        return set(selectors.film_ids_open_or_upcoming(territory="PG", at=T0, **kwargs))

    assert ids() == {rentable.pk, later.pk}
    assert ids(access_types={"rent"}) == {rentable.pk}
    assert ids(access_types={"subscription"}) == set()  # coming, not open yet
    assert ids(access_types={"free"}) == set()


def test_territory_comes_from_the_cdn_header_then_the_account(rf, make_user, settings):
    user = make_user("viewer")
    user.country = "AU"

    assert selectors.territory_for_request(request=rf.get("/", HTTP_CF_IPCOUNTRY="NZ"), user=user) == "NZ"
    assert selectors.territory_for_request(request=rf.get("/"), user=user) == "AU"
    assert selectors.territory_for_request(request=rf.get("/"), user=None) == "PG"
    settings.WANS_COUNTRY_HEADER = ""
    assert selectors.territory_for_request(request=rf.get("/", HTTP_CF_IPCOUNTRY="NZ"), user=user) == "AU"


class HoldsEverything:
    calls: list = []

    def windows_entitled(self, *, user, windows, at):
        HoldsEverything.calls.append(sorted(w.pk for w in windows))
        return {w.pk for w in windows}


def test_a_ppv_ticket_plays_from_the_event_not_before(film, creator, make_user, settings):
    settings.RIGHTS_ENTITLEMENT_PROVIDER = "rights.tests.test_availability.HoldsEverything"
    event = T0 + 2 * DAY
    ppv = _window(film, creator, "ppv", end=T0 + 10 * DAY, prices=TVOD, event_starts_at=event)
    viewer = make_user("viewer")

    before = _ask(film, event - timedelta(seconds=1), user=viewer)
    during = _ask(film, event, user=viewer)

    assert before["access"] == {"granted": False, "window": {"id": ppv.pk, "type": "ppv"}, "via": "entitlement"}
    assert before["offers"] == []  # the ticket is already held
    assert before["open_windows"][0]["event_starts_at"] == event
    assert during["access"] == {"granted": True, "window": {"id": ppv.pk, "type": "ppv"}, "via": "entitlement"}


def test_a_ppv_offer_names_the_event(film, creator):
    event = T0 + 2 * DAY
    _window(film, creator, "ppv", end=T0 + 10 * DAY, prices=TVOD, event_starts_at=event)

    (offer,) = _ask(film, T0)["offers"]

    assert (offer["kind"], offer["event_starts_at"], offer["price"]["display"]) == ("ticket", event, "PGK 15.00")


def test_a_collector_edition_is_kept_after_its_sale_closes(film, creator, make_user, settings):
    settings.RIGHTS_ENTITLEMENT_PROVIDER = "rights.tests.test_availability.HoldsEverything"
    collector = _window(film, creator, "collector", end=T0 + 10 * DAY, prices=TVOD, edition_size=50)

    answer = _ask(film, T0 + 400 * DAY, user=make_user("viewer"))

    assert answer["open_windows"] == []
    assert answer["access"] == {
        "granted": True,
        "window": {"id": collector.pk, "type": "collector"},
        "via": "entitlement",
    }


def test_nobody_is_entitled_by_default_and_anonymous_viewers_are_asked_too(film, creator, make_user):
    from django.contrib.auth.models import AnonymousUser

    _window(film, creator, "svod")

    for user in (None, AnonymousUser(), make_user("viewer"), make_user("creator")):
        answer = _ask(film, T0, user=user)
        assert answer["access"] == {"granted": False, "window": None, "via": None}
        assert [offer["kind"] for offer in answer["offers"]] == ["subscribe"]
        assert answer["offers"][0]["price"] is None


def test_free_window_wins_over_paid_ones(film, creator, make_user):
    _window(film, creator, "tvod", prices=TVOD)
    avod = _window(film, creator, "avod")

    answer = _ask(film, T0, user=make_user("viewer"))

    assert answer["access"]["window"] == {"id": avod.pk, "type": "avod"}
    assert [w["type"] for w in answer["open_windows"]] == ["tvod", "avod"]


def test_a_group_covers_its_countries_and_not_others(film, creator):
    _window(film, creator, "avod", territories="PACIFIC")

    assert _ask(film, T0, territory="FJ")["access"]["granted"] is True
    assert _ask(film, T0, territory="NZ")["access"]["granted"] is True
    assert _ask(film, T0, territory="GB")["access"]["granted"] is False


def test_currency_follows_the_territory():
    from rights.territories import currency_for_country

    assert [currency_for_country(c) for c in ("PG", "AU", "NZ", "GB", "US", "FJ", "DE", "SB", "pg", "")] == [
        "PGK", "AUD", "NZD", "GBP", "USD", "FJD", "EUR", "USD", "PGK", "USD",
    ]  # fmt: skip


def test_nothing_open_nothing_coming(film):
    answer = _ask(film, T0)

    assert answer["open_windows"] == [] and answer["offers"] == []
    assert answer["next_window"] is None and answer["in_cinemas_until"] is None
    assert answer["access"] == {"granted": False, "window": None, "via": None}


def test_bulk_asks_the_entitlement_provider_once(film, creator, make_film, make_user, settings):
    settings.RIGHTS_ENTITLEMENT_PROVIDER = "rights.tests.test_availability.HoldsEverything"
    HoldsEverything.calls = []
    other = make_film("Other")
    a = _window(film, creator, "tvod", prices=TVOD)
    b = _window(other, creator, "svod")
    _window(other, creator, "avod")  # free: not asked about

    answers = selectors.availability_bulk(film_ids=[film.pk, other.pk], territory="PG", at=T0, user=make_user())

    assert HoldsEverything.calls == [sorted([a.pk, b.pk])]
    assert answers[film.pk]["access"]["via"] == "entitlement"
    assert answers[other.pk]["access"]["via"] == "free"


def test_bulk_with_staff_costs_the_same_queries(film, creator, staff, make_film, django_assert_num_queries):
    films = [film] + [make_film(f"Film {n}") for n in range(9)]
    for each in films:
        _window(each, creator, "pvod", prices=TVOD)

    with django_assert_num_queries(2):
        answers = selectors.availability_bulk(film_ids=[f.pk for f in films], territory="PG", at=T0, user=staff)

    assert {answer["access"]["via"] for answer in answers.values()} == {"staff"}


def test_windows_upcoming_lists_later_windows_in_order_with_local_prices(film, creator):
    _window(film, creator, "avod", end=T0 + DAY)
    svod = _window(film, creator, "svod", start=T0 + 60 * DAY)
    tvod = _window(film, creator, "tvod", start=T0 + 30 * DAY, prices=TVOD)
    _window(film, creator, "pvod", territories="US", start=T0 + 10 * DAY, prices=TVOD)

    upcoming = selectors.windows_upcoming(film_id=film.pk, territory="PG", at=T0)

    assert [(w["id"], w["price"]) for w in upcoming] == [
        (tvod.pk, {"amount_minor": 1500, "currency": "PGK", "display": "PGK 15.00"}),
        (svod.pk, None),
    ]


def test_film_ids_by_each_access_type(film, creator, make_film):
    films = {name: make_film(name) for name in ("free", "fest", "ticketed", "ppv", "sub", "rent", "buy", "cinema")}
    _window(films["free"], creator, "avod")
    _window(films["fest"], creator, "festival", end=T0 + DAY)
    _window(films["ticketed"], creator, "festival", end=T0 + DAY, festival_ticketed=True, prices=TVOD)
    _window(films["ppv"], creator, "ppv", end=T0 + DAY, prices=TVOD, event_starts_at=T0)
    _window(films["sub"], creator, "svod")
    _window(films["rent"], creator, "tvod", prices=TVOD)
    _window(films["buy"], creator, "collector", prices=TVOD, edition_size=5)
    _window(films["cinema"], creator, "cinema", end=T0 + DAY)
    names = {f.pk: name for name, f in films.items()}

    def named(access_types):
        ids = selectors.film_ids_open_or_upcoming(territory="PG", at=T0, access_types=access_types)
        return sorted(names[i] for i in set(ids))

    assert named(None) == sorted(names.values())
    assert named({"free"}) == ["fest", "free"]
    assert named({"ticket"}) == ["ppv", "ticketed"]
    assert named({"subscription"}) == ["sub"]
    assert named({"rent", "buy"}) == ["buy", "rent"]
    assert named(set()) == []
    assert named({"bogus"}) == []


def test_film_ids_drop_a_film_once_its_windows_end(film, creator):
    _window(film, creator, "avod", end=T0 + DAY)

    assert list(selectors.film_ids_open_or_upcoming(territory="PG", at=T0 + DAY - timedelta(microseconds=1))) == [
        film.pk
    ]
    assert list(selectors.film_ids_open_or_upcoming(territory="PG", at=T0 + DAY)) == []


def test_film_ids_work_as_a_subquery(film, creator, make_film):
    from catalog import selectors as catalog_selectors

    make_film("Not here")
    _window(film, creator, "avod")

    restrict = selectors.film_ids_open_or_upcoming(territory="PG", at=T0)

    assert list(catalog_selectors.films_published().filter(pk__in=restrict).values_list("pk", flat=True)) == [film.pk]
