import pytest

from accounts.models import Device
from accounts.tests.conftest import login
from accounts.tests.factories import UserFactory

PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.144 Mobile Safari/537.36"
)

pytestmark = pytest.mark.django_db


def test_each_login_records_a_device_with_ua_ip_and_cdn_country(api, user):
    api.post(
        "/api/auth/login",
        {"email": user.email, "password": "correct-horse-battery-9", "device_id": "abcdefgh1234"},
        format="json",
        HTTP_USER_AGENT=PHONE_UA,
        HTTP_CF_IPCOUNTRY="PG",
        REMOTE_ADDR="203.0.113.7",
    )

    device = Device.objects.get(user=user)
    assert device.device_key == "abcdefgh1234"
    assert device.name == "Chrome Mobile on Android"
    assert device.kind == "mobile"
    assert str(device.last_ip) == "203.0.113.7"
    assert device.last_country == "PG"


def test_login_again_from_the_same_device_refreshes_it(api, user):
    login(api, user.email, device_id="same-device-1")
    first_seen = Device.objects.get(user=user).last_seen_at

    login(api, user.email, device_id="same-device-1")

    assert Device.objects.filter(user=user).count() == 1
    assert Device.objects.get(user=user).last_seen_at > first_seen


def test_device_list_shows_active_devices_and_marks_the_current_one(authed):
    login(authed, authed.user.email, device_id="other-device-1")

    response = authed.get("/api/user/devices")

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 2
    current = [d for d in results if d["current"]]
    assert [d["id"] for d in current] == [authed.tokens["device"]["id"]]


def test_deleting_a_device_signs_it_out_at_once(api, user):
    phone = login(api, user.email, device_id="phone-00001")
    laptop = login(api, user.email, device_id="laptop-0001")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {laptop['access']}")

    assert api.delete(f"/api/user/devices/{phone['device']['id']}").status_code == 204

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {phone['access']}")
    refused = api.get("/api/user/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "device_signed_out"
    api.credentials()
    assert api.post("/api/auth/refresh", {"refresh": phone["refresh"]}, format="json").status_code == 401
    assert [d["device_id"] for d in [laptop["device"]]] == ["laptop-0001"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {laptop['access']}")
    assert api.get("/api/user/me").status_code == 200


def test_another_accounts_device_cannot_be_signed_out(authed):
    other = UserFactory()
    device = Device.objects.create(user=other, device_key="theirs-0001", name="Their phone")

    assert authed.delete(f"/api/user/devices/{device.pk}").status_code == 404
    device.refresh_from_db()
    assert device.signed_out_at is None


def test_device_limit_signs_out_the_least_recently_seen(api, user, settings):
    settings.ACCOUNTS_DEFAULT_DEVICE_LIMIT = 2
    first = login(api, user.email, device_id="device-0001")
    login(api, user.email, device_id="device-0002")
    login(api, user.email, device_id="device-0003")

    active = set(Device.objects.filter(user=user, signed_out_at__isnull=True).values_list("device_key", flat=True))
    assert active == {"device-0002", "device-0003"}
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {first['access']}")
    assert api.get("/api/user/me").status_code == 401


def test_device_limit_comes_from_the_resolver_setting(api, user, settings):
    settings.ACCOUNTS_DEVICE_LIMIT_RESOLVER = "accounts.tests.test_api_devices.one_device"
    login(api, user.email, device_id="device-0001")
    login(api, user.email, device_id="device-0002")

    assert Device.objects.filter(user=user, signed_out_at__isnull=True).count() == 1


def one_device(*, user) -> int:
    return 1
