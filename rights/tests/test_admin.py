import pytest
from django.test import Client

from rights import services
from rights.tests.conftest import T0, TVOD

pytestmark = pytest.mark.django_db


def test_admin_lists_windows_with_prices_and_country_rows(film, creator, make_user):
    window = services.window_create(
        film=film, by=creator, window_type="tvod", territories="PG,ANZ", starts_at=T0, prices=TVOD
    )
    superuser = make_user("super admin")
    client = Client()
    client.force_login(superuser)

    listed = client.get("/admin/rights/window/?window_type__exact=tvod")
    shown = client.get(f"/admin/rights/window/{window.pk}/change/")
    rows = client.get("/admin/rights/windowterritory/?country=PG")

    assert listed.status_code == 200 and b"PG,ANZ" in listed.content and b"PGK 15.00" in listed.content
    assert shown.status_code == 200 and b"1500" in shown.content
    assert rows.status_code == 200
    assert client.get("/admin/rights/window/add/").status_code == 403
    assert client.get("/admin/rights/windowterritory/1/delete/").status_code == 403
