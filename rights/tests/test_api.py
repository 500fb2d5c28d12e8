import pytest
from rest_framework.test import APIClient

from rights.models import Window

pytestmark = pytest.mark.django_db

WINDOW = {
    "window_type": "tvod",
    "territories": ["PG", "PACIFIC"],
    "starts_at": "2027-01-01T00:00:00Z",
    "prices": {"PGK": 1500, "USD": 499},
}


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_owner_creates_lists_patches_and_deletes_a_window(film, creator):
    client = client_for(creator)

    created = client.post("/api/windows", {**WINDOW, "film": film.pk}, format="json")
    assert created.status_code == 201, created.content
    window_id = created.json()["id"]
    assert created.json()["territories"] == ["PG", "PACIFIC"]
    assert created.json()["prices"] == {"PGK": 1500, "USD": 499}

    listed = client.get(f"/api/windows/film/{film.pk}")
    assert [w["id"] for w in listed.json()] == [window_id]

    patched = client.patch(f"/api/windows/{window_id}", {"prices": {"PGK": 2000}}, format="json")
    assert patched.json()["prices"] == {"PGK": 2000}

    assert client.delete(f"/api/windows/{window_id}").status_code == 204
    assert not Window.objects.exists()


def test_overlap_over_the_api_is_409_naming_the_window(film, creator):
    client = client_for(creator)
    first = client.post("/api/windows", {**WINDOW, "film": film.pk}, format="json").json()

    response = client.post("/api/windows", {**WINDOW, "film": film.pk, "territories": "PG"}, format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "window_overlap"
    assert error["conflicting_window"]["id"] == first["id"]
    assert Window.objects.count() == 1


@pytest.mark.parametrize(
    "change,field",
    [
        ({"territories": ["PG", "ATLANTIS"]}, "territories"),
        ({"ends_at": "2026-12-01T00:00:00Z"}, "ends_at"),
        ({"prices": {"PGK": -100}}, "prices.PGK"),
        ({"prices": {"DOGE": 100}}, "prices"),
        ({"window_type": "bootleg"}, "window_type"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"territories": "X" * 10_000}, "territories.0"),
        ({"film": 999999}, "film"),
    ],
)
def test_bad_window_input_is_400_naming_the_field(film, creator, change, field):
    response = client_for(creator).post("/api/windows", {**WINDOW, "film": film.pk, **change}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Window.objects.exists()


def test_another_creator_and_viewers_cannot_touch_windows(film, creator, make_user):
    window = client_for(creator).post("/api/windows", {**WINDOW, "film": film.pk}, format="json").json()
    intruder, viewer = make_user("creator"), make_user("viewer")

    assert (
        client_for(intruder)
        .post("/api/windows", {**WINDOW, "film": film.pk, "territories": "US"}, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(intruder).patch(f"/api/windows/{window['id']}", {"prices": {"PGK": 1}}, format="json").status_code
        == 403
    )
    assert client_for(viewer).delete(f"/api/windows/{window['id']}").status_code == 403
    assert client_for(viewer).get(f"/api/windows/film/{film.pk}").status_code == 403
    assert Window.objects.count() == 1
    assert Window.objects.get().prices.get(currency="PGK").amount_minor == 1500


def test_availability_endpoint_uses_the_cdn_country(film, creator):
    client_for(creator).post(
        "/api/windows", {**WINDOW, "film": film.pk, "starts_at": "2020-01-01T00:00:00Z"}, format="json"
    )

    png = client_for().get(f"/api/availability/{film.pk}", HTTP_CF_IPCOUNTRY="PG").json()
    usa = client_for().get(f"/api/availability/{film.pk}", HTTP_CF_IPCOUNTRY="US").json()

    assert png["territory"] == "PG"
    assert png["offers"][0]["price"]["display"] == "PGK 15.00"
    assert usa["open_windows"] == []


def test_only_staff_may_ask_for_another_territory(film, staff, make_user):
    assert client_for(make_user("viewer")).get(f"/api/availability/{film.pk}?territory=US").status_code == 403
    assert client_for(staff).get(f"/api/availability/{film.pk}?territory=US").json()["territory"] == "US"
    bad = client_for(staff).get(f"/api/availability/{film.pk}?territory=QQ")
    assert bad.status_code == 400
    assert "territory" in bad.json()["error"]["fields"]


def test_bulk_availability_and_its_limit(film, make_film):
    other = make_film("Other")

    ok = client_for().post("/api/availability/bulk", {"film_ids": [film.pk, other.pk]}, format="json")
    too_many = client_for().post("/api/availability/bulk", {"film_ids": list(range(1, 502))}, format="json")
    wrong = client_for().post("/api/availability/bulk", {"film_ids": "all"}, format="json")

    assert [answer["film_id"] for answer in ok.json()["results"]] == [film.pk, other.pk]
    assert too_many.status_code == 400
    assert "film_ids" in too_many.json()["error"]["fields"]
    assert wrong.status_code == 400


def test_upcoming_lists_future_windows(film, creator):
    client_for(creator).post(
        "/api/windows", {**WINDOW, "film": film.pk, "starts_at": "2099-01-01T00:00:00Z"}, format="json"
    )

    body = client_for().get(f"/api/availability/upcoming/{film.pk}", HTTP_CF_IPCOUNTRY="PG").json()

    assert [(w["type"], w["price"]["currency"]) for w in body["results"]] == [("tvod", "PGK")]


def test_release_plan_endpoint(film, creator):
    response = client_for(creator).post(
        f"/api/films/{film.pk}/release-plan",
        {"starts_on": "2027-03-01", "territories": "PG,AU", "prices": {"tvod": {"PGK": 2000}}},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert [w["window_type"] for w in body] == ["festival", "cinema", "collector", "pvod", "tvod", "svod", "avod"]
    assert next(w for w in body if w["window_type"] == "tvod")["prices"] == {"PGK": 2000}


def test_release_plan_bad_offsets_are_400(film, creator):
    response = client_for(creator).post(
        f"/api/films/{film.pk}/release-plan",
        {"starts_on": "2027-03-01", "territories": "PG", "offsets": {"cinema": 0, "festival": 10}},
        format="json",
    )

    assert response.status_code == 400
    assert "offsets" in response.json()["error"]["fields"]
    assert not Window.objects.exists()


@pytest.mark.parametrize(
    "change,field",
    [
        ({"prices": {"P" * 10_000: 100}}, "prices"),
        ({"prices": {"PGK": "1500"}}, "prices.PGK"),
        ({"prices": {"PGK": 15.0}}, "prices.PGK"),
        ({"prices": {"PGK": 10**30}}, "prices.PGK"),
        ({"prices": ["PGK", 1500]}, "prices"),
        ({"starts_at": "9999-12-31T23:59:59Z"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00:00+10:00"}, "starts_at"),
        ({"territories": []}, "territories"),
        ({"territories": {"PG": True}}, "territories"),
        ({"territories": ["PG"] * 301}, "territories"),
        ({"film": 10**30}, "film"),
        ({"film": "one"}, "film"),
        ({"price": {"PGK": 1500}}, "price"),
        ({"window_type": "ppv"}, "event_starts_at"),
        ({"window_type": "svod"}, "prices"),
        ({"rental_hours": 0}, "rental_hours"),
    ],
)
def test_more_bad_window_input_is_400_naming_the_field(film, creator, change, field):
    response = client_for(creator).post("/api/windows", {**WINDOW, "film": film.pk, **change}, format="json")

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert field in error["message"]
    assert len(response.content) < 2_000  # a 10 kB input is not echoed back
    assert not Window.objects.exists()


def test_window_type_and_film_cannot_be_patched(film, creator, make_film):
    window = client_for(creator).post("/api/windows", {**WINDOW, "film": film.pk}, format="json").json()

    response = client_for(creator).patch(
        f"/api/windows/{window['id']}", {"window_type": "svod", "film": make_film().pk}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"film", "window_type"}
    assert Window.objects.get().window_type == "tvod"


def test_bad_patch_changes_nothing(film, creator):
    window = client_for(creator).post("/api/windows", {**WINDOW, "film": film.pk}, format="json").json()

    response = client_for(creator).patch(
        f"/api/windows/{window['id']}", {"territories": "PG,NOWHERE", "prices": {"PGK": 1}}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"territories": ["Unknown territory: NOWHERE."]}
    stored = Window.objects.get()
    assert stored.territories == "PG,PACIFIC"
    assert dict(stored.prices.values_list("currency", "amount_minor")) == {"PGK": 1500, "USD": 499}


def test_staff_manage_another_creators_windows(film, creator, staff):
    window = client_for(creator).post("/api/windows", {**WINDOW, "film": film.pk}, format="json").json()

    patched = client_for(staff).patch(f"/api/windows/{window['id']}", {"territories": "PG"}, format="json")
    listed = client_for(staff).get(f"/api/windows/film/{film.pk}")

    assert patched.status_code == 200
    assert patched.json()["territories"] == ["PG"]
    assert [w["id"] for w in listed.json()] == [window["id"]]
    assert client_for(staff).delete(f"/api/windows/{window['id']}").status_code == 204


def test_anonymous_cannot_write_and_nothing_changes(film, creator):
    window = client_for(creator).post("/api/windows", {**WINDOW, "film": film.pk}, format="json").json()
    anonymous = client_for()

    assert anonymous.post("/api/windows", {**WINDOW, "film": film.pk, "territories": "US"}, format="json").status_code
    assert anonymous.patch(f"/api/windows/{window['id']}", {"territories": "US"}, format="json").status_code == 401
    assert anonymous.delete(f"/api/windows/{window['id']}").status_code == 401
    assert anonymous.get(f"/api/windows/film/{film.pk}").status_code == 401
    assert anonymous.post(f"/api/films/{film.pk}/release-plan", {"starts_on": "2030-01-01", "territories": "US"},
                          format="json").status_code == 401  # fmt: skip
    assert list(Window.objects.values_list("territories", flat=True)) == ["PG,PACIFIC"]


def test_a_viewer_cannot_make_a_release_plan(film, make_user):
    response = client_for(make_user("viewer")).post(
        f"/api/films/{film.pk}/release-plan", {"starts_on": "2030-01-01", "territories": "PG"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Window.objects.exists()


def test_a_drafts_availability_is_private(creator, staff):
    from catalog import services as catalog_services

    draft = catalog_services.film_create(creator=creator, data={"title": "Work in progress"})

    assert client_for().get(f"/api/availability/{draft.pk}").status_code == 404
    assert client_for().get(f"/api/availability/upcoming/{draft.pk}").status_code == 404
    assert client_for(creator).get(f"/api/availability/{draft.pk}").status_code == 200
    bulk = client_for().post("/api/availability/bulk", {"film_ids": [draft.pk]}, format="json").json()
    assert bulk["results"] == [{"film_id": draft.pk, "error": {"code": "not_found", "message": "No such film.",
                                                               "fields": {}}}]  # fmt: skip


def test_bulk_over_the_api_costs_the_same_queries_for_1_and_50_films(film, creator, make_film):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    films = [film] + [make_film(f"Film {n}") for n in range(49)]
    for each in films:
        client_for(creator).post("/api/windows", {**WINDOW, "film": each.pk}, format="json")
    client = client_for()

    with CaptureQueriesContext(connection) as one:
        first = client.post("/api/availability/bulk", {"film_ids": [film.pk]}, format="json")
    with CaptureQueriesContext(connection) as fifty:
        every = client.post("/api/availability/bulk", {"film_ids": [f.pk for f in films]}, format="json")

    assert len(first.json()["results"]) == 1 and len(every.json()["results"]) == 50
    assert len(one) == len(fifty) == 3


@pytest.mark.parametrize(
    "body,field",
    [
        ({"film_ids": list(range(1, 502))}, "film_ids"),
        ({"film_ids": []}, "film_ids"),
        ({"film_ids": ["one"]}, "film_ids.0"),
        ({"film_ids": [10**30]}, "film_ids.0"),
        ({"films": [1]}, "film_ids"),
        ({"film_ids": [1], "territory": "US"}, "territory"),
        ({}, "film_ids"),
    ],
)
def test_bad_bulk_input_is_400(body, field):
    response = client_for().post("/api/availability/bulk", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_bulk_accepts_500_ids(film):
    response = client_for().post("/api/availability/bulk", {"film_ids": [film.pk, *range(10**6, 10**6 + 499)]},
                                 format="json")  # fmt: skip

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 500
    assert results[0]["film_id"] == film.pk and "access" in results[0]
    assert results[1]["error"]["code"] == "not_found"


def test_anonymous_availability_uses_the_default_territory(film, creator):
    client_for(creator).post(
        "/api/windows", {**WINDOW, "film": film.pk, "starts_at": "2020-01-01T00:00:00Z"}, format="json"
    )

    body = client_for().get(f"/api/availability/{film.pk}").json()

    assert body["territory"] == "PG"
    assert body["offers"][0]["price"] == {"amount_minor": 1500, "currency": "PGK", "display": "PGK 15.00"}
    assert body["offers"][0]["rental_hours"] == 48


@pytest.mark.parametrize(
    "body,field",
    [
        ({"territories": "PG"}, "starts_at"),
        ({"starts_on": "2027-03-01", "starts_at": "2027-03-01T00:00:00Z", "territories": "PG"}, "starts_on"),
        ({"starts_on": "2027-03-01", "territories": "PG,ATLANTIS"}, "territories"),
        ({"starts_on": "2027-03-01", "territories": "PG", "prices": {"tvod": {"XYZ": 100}}}, "prices"),
        ({"starts_on": "2027-03-01", "territories": "PG", "prices": {"tvod": {"PGK": -100}}}, "prices.tvod.PGK"),
        ({"starts_on": "2027-03-01", "territories": "PG", "prices": {"bootleg": {"PGK": 100}}}, "prices"),
        ({"starts_on": "2027-03-01", "territories": "PG", "offsets": {"tvod": 99999}}, "offsets.tvod"),
        ({"starts_on": "2027-03-01", "territories": "PG", "offsets": {"x" * 10_000: 1}}, "offsets"),
        ({"starts_on": "9999-12-01", "territories": "PG"}, "starts_at"),
        ({"starts_on": "2027-03-01", "territories": "X" * 10_000}, "territories.0"),
        ({"starts_on": "soon", "territories": "PG"}, "starts_on"),
    ],
)
def test_bad_release_plans_are_400_naming_the_field(film, creator, body, field):
    response = client_for(creator).post(f"/api/films/{film.pk}/release-plan", body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert len(response.content) < 2_000
    assert not Window.objects.exists()


def test_release_plan_overlap_is_409_and_keeps_nothing(film, creator):
    client_for(creator).post("/api/windows", {**WINDOW, "film": film.pk, "starts_at": "2027-07-01T00:00:00Z",
                                               "territories": "PG"}, format="json")  # fmt: skip

    response = client_for(creator).post(
        f"/api/films/{film.pk}/release-plan", {"starts_on": "2027-03-01", "territories": "PACIFIC"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["conflicting_window"]["countries"] == ["PG"]
    assert Window.objects.count() == 1


def test_release_plan_dates_and_prices_over_the_api(film, creator):
    body = (
        client_for(creator)
        .post(
            f"/api/films/{film.pk}/release-plan",
            {"starts_at": "2027-03-01T10:00:00+10:00", "territories": ["PG", "AU"], "offsets": {"avod": 400}},
            format="json",
        )
        .json()
    )

    by_type = {w["window_type"]: w for w in body}
    assert by_type["festival"]["starts_at"] == "2027-03-01T00:00:00Z"
    assert by_type["cinema"]["ends_at"] == "2027-05-30T00:00:00Z"
    assert by_type["avod"]["starts_at"] == "2028-04-04T00:00:00Z"
    assert by_type["pvod"]["prices"]["PGK"] == 3500
    assert by_type["svod"]["prices"] == {} and by_type["festival"]["festival_ticketed"] is False
