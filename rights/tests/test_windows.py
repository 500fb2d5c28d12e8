import threading
from datetime import timedelta

import pytest
from django.db import connection

from rights import services
from rights.errors import WindowInvalid, WindowOverlap, WindowPermissionDenied
from rights.models import Window, WindowTerritory
from rights.territories import GROUPS, territories_expand
from rights.tests.conftest import T0, TVOD

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def test_groups_expand_to_countries():
    assert territories_expand("pacific,us") == GROUPS["PACIFIC"] | {"US"}
    assert {"PG", "AU", "NZ", "US", "GB"} <= territories_expand(["WORLD"])


def test_window_keeps_territories_and_one_row_per_country(film, creator):
    window = services.window_create(
        film=film, by=creator, window_type="tvod", territories=["pg", "ANZ"], starts_at=T0, prices=TVOD
    )

    assert window.territories == "PG,ANZ"
    assert set(WindowTerritory.objects.filter(window=window).values_list("country", flat=True)) == {"PG", "AU", "NZ"}
    assert dict(window.prices.values_list("currency", "amount_minor")) == TVOD


def test_overlap_in_a_shared_territory_is_refused_naming_the_window(film, creator):
    first = services.window_create(
        film=film, by=creator, window_type="svod", territories="PG,AU", starts_at=T0, ends_at=T0 + 30 * DAY
    )

    with pytest.raises(WindowOverlap) as error:
        services.window_create(film=film, by=creator, window_type="svod", territories="AU,US", starts_at=T0 + 10 * DAY)

    assert f"#{first.pk}" in error.value.message
    assert error.value.message == (
        f"This overlaps SVOD window #{first.pk} (2027-01-01 00:00 UTC to 2027-01-31 00:00 UTC) in AU."
    )
    assert error.value.extra["conflicting_window"] == {
        "id": first.pk,
        "type": "svod",
        "starts_at": T0,
        "ends_at": T0 + 30 * DAY,
        "countries": ["AU"],
    }
    assert Window.objects.count() == 1


def test_back_to_back_other_territories_and_other_types_are_allowed(film, creator):
    services.window_create(
        film=film, by=creator, window_type="svod", territories="PG", starts_at=T0, ends_at=T0 + 30 * DAY
    )
    services.window_create(film=film, by=creator, window_type="svod", territories="PG", starts_at=T0 + 30 * DAY)
    services.window_create(film=film, by=creator, window_type="svod", territories="US", starts_at=T0)
    services.window_create(film=film, by=creator, window_type="avod", territories="PG", starts_at=T0)

    assert Window.objects.count() == 4


def test_open_ended_window_blocks_any_later_one(film, creator):
    services.window_create(film=film, by=creator, window_type="avod", territories="WORLD", starts_at=T0)

    with pytest.raises(WindowOverlap):
        services.window_create(film=film, by=creator, window_type="avod", territories="PG", starts_at=T0 + 900 * DAY)


def test_update_that_would_overlap_is_refused_and_changes_nothing(film, creator):
    services.window_create(
        film=film, by=creator, window_type="tvod", territories="PG", starts_at=T0, ends_at=T0 + 10 * DAY, prices=TVOD
    )
    later = services.window_create(
        film=film, by=creator, window_type="tvod", territories="PG", starts_at=T0 + 20 * DAY, prices=TVOD
    )

    with pytest.raises(WindowOverlap):
        services.window_update(window=later, by=creator, starts_at=T0 + 5 * DAY)

    later.refresh_from_db()
    assert later.starts_at == T0 + 20 * DAY
    assert WindowTerritory.objects.get(window=later).starts_at == T0 + 20 * DAY


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"territories": "PG,XX,NARNIA"}, "territories"),
        ({"ends_at": T0 - DAY}, "ends_at"),
        ({"prices": {"PGK": -1}}, "prices"),
        ({"prices": {"ZZZ": 100}}, "prices"),
        ({"prices": {}}, "prices"),
    ],
)
def test_invalid_windows_are_refused_naming_the_field(film, creator, kwargs, field):
    args = {"window_type": "tvod", "territories": "PG", "starts_at": T0, "prices": TVOD, **kwargs}

    with pytest.raises(WindowInvalid) as error:
        services.window_create(film=film, by=creator, **args)

    assert field in error.value.fields
    assert not Window.objects.exists()


def test_ppv_needs_its_event_inside_the_window_and_collector_an_edition(film, creator):
    with pytest.raises(WindowInvalid) as ppv:
        services.window_create(
            film=film,
            by=creator,
            window_type="ppv",
            territories="PG",
            starts_at=T0,
            ends_at=T0 + DAY,
            prices=TVOD,
            event_starts_at=T0 + 2 * DAY,
        )
    with pytest.raises(WindowInvalid) as collector:
        services.window_create(
            film=film, by=creator, window_type="collector", territories="PG", starts_at=T0, prices=TVOD
        )

    assert "event_starts_at" in ppv.value.fields
    assert "edition_size" in collector.value.fields


def test_another_creator_cannot_manage_windows(film, make_user):
    intruder = make_user("creator")

    with pytest.raises(WindowPermissionDenied):
        services.window_create(film=film, by=intruder, window_type="avod", territories="PG", starts_at=T0)
    assert not Window.objects.exists()


def test_release_plan_creates_the_usual_sequence(film, creator):
    windows = services.release_plan_create(film=film, by=creator, starts_at=T0, territories=["PG", "AU"])

    summary = [(w.window_type, (w.starts_at - T0).days, (w.ends_at - T0).days if w.ends_at else None) for w in windows]
    assert summary == [
        ("festival", 0, 30),
        ("cinema", 30, 90),
        ("collector", 90, None),
        ("pvod", 90, 120),
        ("tvod", 120, None),
        ("svod", 180, None),
        ("avod", 365, None),
    ]
    tvod = next(w for w in windows if w.window_type == "tvod")
    assert dict(tvod.prices.values_list("currency", "amount_minor"))["PGK"] == 1500
    assert next(w for w in windows if w.window_type == "collector").edition_size == 100


def test_release_plan_offsets_are_editable_and_all_or_nothing(film, creator):
    services.window_create(film=film, by=creator, window_type="avod", territories="PG", starts_at=T0 + 400 * DAY)

    with pytest.raises(WindowOverlap):
        services.release_plan_create(film=film, by=creator, starts_at=T0, territories="PG", offsets={"avod": 500})
    assert Window.objects.count() == 1  # nothing of the plan was kept

    windows = services.release_plan_create(
        film=film, by=creator, starts_at=T0, territories="US", offsets={"svod": 100, "avod": 200}
    )
    assert [(w.window_type, (w.starts_at - T0).days) for w in windows][-2:] == [("svod", 100), ("avod", 200)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is a Postgres feature")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_overlapping_creates_give_exactly_one_window(film, creator):
    from django.db import connections

    barrier = threading.Barrier(2)
    outcomes = []

    def create(territories):
        try:
            barrier.wait(timeout=5)
            services.window_create(film=film, by=creator, window_type="svod", territories=territories, starts_at=T0)
            outcomes.append("created")
        except WindowOverlap:
            outcomes.append("overlap")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(t,)) for t in ("PG,AU", "AU,NZ")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "overlap"]
    assert Window.objects.filter(film=film).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is a Postgres feature")
def test_the_database_refuses_an_overlap_that_skips_the_service(film, creator):
    from django.db import IntegrityError, transaction

    services.window_create(film=film, by=creator, window_type="svod", territories="PG", starts_at=T0)
    other = services.window_create(film=film, by=creator, window_type="svod", territories="US", starts_at=T0)
    with pytest.raises(IntegrityError), transaction.atomic():
        WindowTerritory.objects.create(
            window=other, film=film, window_type="svod", country="PG", starts_at=T0 + 5 * DAY, ends_at=None
        )


def test_invalid_window_error_names_its_fields_in_the_message(film, creator):
    with pytest.raises(WindowInvalid) as error:
        services.window_create(
            film=film, by=creator, window_type="tvod", territories="NARNIA", starts_at=T0, prices={"PGK": -5}
        )

    assert error.value.message == "Some fields are invalid: prices, territories."
    assert error.value.fields["territories"] == ["Unknown territory: NARNIA."]


@pytest.mark.parametrize(
    "window_type,terms",
    [("avod", {}), ("svod", {}), ("cinema", {}), ("festival", {"festival_ticketed": False})],
)
def test_windows_that_sell_nothing_take_no_price(film, creator, window_type, terms):
    with pytest.raises(WindowInvalid) as error:
        services.window_create(
            film=film, by=creator, window_type=window_type, territories="PG", starts_at=T0, prices=TVOD, **terms
        )

    assert "takes no price" in error.value.fields["prices"][0]
    assert not Window.objects.exists()


def test_a_festival_made_free_drops_its_ticket_prices(film, creator):
    window = services.window_create(
        film=film, by=creator, window_type="festival", territories="PG", starts_at=T0, ends_at=T0 + DAY,
        prices=TVOD, festival_ticketed=True,
    )  # fmt: skip

    services.window_update(window=window, by=creator, festival_ticketed=False)

    window.refresh_from_db()
    assert window.festival_ticketed is False
    assert not window.prices.exists()


@pytest.mark.parametrize(
    "starts_at,message",
    [
        (T0.replace(tzinfo=None), "Give an aware date and time (with a time zone)."),
        (T0.replace(year=9999), "Give a date between 1970 and 3000."),
        (T0.replace(year=1900), "Give a date between 1970 and 3000."),
    ],
)
def test_dates_must_be_aware_and_in_range(film, creator, starts_at, message):
    with pytest.raises(WindowInvalid) as error:
        services.window_create(film=film, by=creator, window_type="avod", territories="PG", starts_at=starts_at)

    assert error.value.fields == {"starts_at": [message]}
    assert not Window.objects.exists()


def test_unknown_window_type_is_refused(film, creator):
    with pytest.raises(WindowInvalid) as error:
        services.window_create(film=film, by=creator, window_type="bootleg", territories="PG", starts_at=T0)

    assert list(error.value.fields) == ["window_type"]


def test_another_creator_cannot_change_or_delete_a_window(film, creator, make_user):
    window = services.window_create(
        film=film, by=creator, window_type="tvod", territories="PG", starts_at=T0, prices=TVOD
    )
    intruder = make_user("creator")

    with pytest.raises(WindowPermissionDenied):
        services.window_update(window=window, by=intruder, territories="WORLD", prices={"PGK": 1})
    with pytest.raises(WindowPermissionDenied):
        services.window_delete(window=window, by=intruder)
    with pytest.raises(WindowPermissionDenied):
        services.release_plan_create(film=film, by=intruder, starts_at=T0 + 900 * DAY, territories="US")

    window.refresh_from_db()
    assert window.territories == "PG"
    assert dict(window.prices.values_list("currency", "amount_minor")) == TVOD
    assert list(WindowTerritory.objects.values_list("country", flat=True)) == ["PG"]
    assert Window.objects.count() == 1


def test_staff_manage_any_films_windows(film, staff):
    window = services.window_create(film=film, by=staff, window_type="avod", territories="PG", starts_at=T0)

    services.window_update(window=window, by=staff, territories="PACIFIC")
    assert WindowTerritory.objects.filter(window=window).count() == len(GROUPS["PACIFIC"])

    services.window_delete(window=window, by=staff)
    assert not Window.objects.exists()
    assert not WindowTerritory.objects.exists()


def test_update_keeps_country_rows_in_step(film, creator):
    window = services.window_create(
        film=film, by=creator, window_type="svod", territories="PG,AU", starts_at=T0, ends_at=T0 + 10 * DAY
    )

    services.window_update(window=window, by=creator, territories="US", ends_at=T0 + 20 * DAY)

    rows = list(WindowTerritory.objects.filter(window=window).values_list("country", "starts_at", "ends_at"))
    assert rows == [("US", T0, T0 + 20 * DAY)]


def test_release_plan_with_festival_prices_makes_a_ticketed_festival(film, creator):
    windows = services.release_plan_create(
        film=film, by=creator, starts_at=T0, territories="PG", prices={"festival": {"PGK": 500}}
    )

    festival = windows[0]
    assert (festival.window_type, festival.festival_ticketed) == ("festival", True)
    assert dict(festival.prices.values_list("currency", "amount_minor")) == {"PGK": 500}


def test_release_plan_refuses_prices_for_a_window_it_does_not_make(film, creator):
    with pytest.raises(WindowInvalid) as error:
        services.release_plan_create(film=film, by=creator, starts_at=T0, territories="PG", prices={"ppv": TVOD})

    assert error.value.fields == {"prices": ["The plan has no ppv window."]}
    assert not Window.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is a Postgres feature")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_release_plans_give_exactly_one_plan(film, creator):
    from django.db import connections

    barrier = threading.Barrier(2)
    outcomes = []

    def plan(territories):
        try:
            barrier.wait(timeout=5)
            services.release_plan_create(film=film, by=creator, starts_at=T0, territories=territories)
            outcomes.append("created")
        except WindowOverlap:
            outcomes.append("overlap")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=plan, args=(t,)) for t in ("PACIFIC", "PG,US")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "overlap"]
    assert Window.objects.filter(film=film).count() == 7


def test_too_many_listed_countries_ask_for_a_group(film, creator):
    from rights.territories import ALL_CODES

    with pytest.raises(WindowInvalid) as error:
        services.window_create(
            film=film, by=creator, window_type="avod", territories=sorted(ALL_CODES)[:200], starts_at=T0
        )

    assert error.value.fields == {
        "territories": ["Too many entries: use a group (e.g. WORLD, PACIFIC) instead of listing countries."]
    }


def test_updating_a_window_deleted_meanwhile_is_not_found(film, creator):
    from rights.errors import WindowNotFound

    window = services.window_create(film=film, by=creator, window_type="avod", territories="PG", starts_at=T0)
    Window.objects.filter(pk=window.pk).delete()

    with pytest.raises(WindowNotFound):
        services.window_update(window=window, by=creator, territories="US")


def test_groups_and_currencies_name_only_known_codes():
    from core.money import MINOR_UNITS
    from rights.territories import ALL_CODES, CURRENCY_BY_COUNTRY

    assert all(group <= ALL_CODES for group in GROUPS.values())
    assert set(CURRENCY_BY_COUNTRY) <= ALL_CODES
    assert set(CURRENCY_BY_COUNTRY.values()) <= set(MINOR_UNITS)


def test_unknown_territories_are_named():
    from rights.territories import UnknownTerritory

    with pytest.raises(UnknownTerritory) as error:
        territories_expand(["PACIFIC", "XX", "MORDOR"])

    assert error.value.entries == ["XX", "MORDOR"]
    assert str(error.value) == "unknown territory: XX, MORDOR"
