"""An API-only client completes a sandbox payment without a site session (issue 25, item 6): the hosted page's step
is POST /api/transactions/<public_id>/sandbox, authenticated by the API token."""

import pytest
from rest_framework.test import APIClient

from billing.models import Entitlement, Payment

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


def _token_client(user) -> APIClient:
    tokens = APIClient().post("/api/auth/login", {"email": user.email, "password": PASSWORD}, format="json").json()
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")


def test_a_sandbox_card_payment_completes_over_the_api_with_the_token(viewer, make_window):
    window = make_window("tvod")
    api = _token_client(viewer)

    started = api.post("/api/transactions", {"window_id": window.pk, "provider": "sandbox"}, format="json")
    paid = api.post(f"/api/transactions/{started.json()['public_id']}/sandbox", {"action": "pay"}, format="json")

    assert started.status_code == 201, started.json()
    assert started.json()["next_action"] == "redirect"
    assert paid.status_code == 200, paid.json()
    assert (paid.json()["status"], paid.json()["granted"]) == ("paid", True)
    assert Entitlement.objects.get(user=viewer).kind == "rental"


def test_bsp_over_the_api_needs_the_one_time_code_and_others_cannot_answer(viewer, make_user, make_window):
    window = make_window("ppv")
    api = _token_client(viewer)
    public_id = api.post("/api/transactions/png", {"window_id": window.pk, "provider": "bsp"}, format="json").json()[
        "public_id"
    ]

    wrong = api.post(f"/api/transactions/{public_id}/sandbox", {"action": "pay", "otp": "000000"}, format="json")
    stranger = _token_client(make_user("viewer")).post(
        f"/api/transactions/{public_id}/sandbox", {"action": "pay", "otp": "123456"}, format="json"
    )
    pending = Payment.objects.get(public_id=public_id).status
    right = api.post(f"/api/transactions/{public_id}/sandbox", {"action": "pay", "otp": "123456"}, format="json")

    assert (wrong.status_code, list(wrong.json()["error"]["fields"])) == (400, ["otp"])
    assert stranger.status_code == 404
    assert pending == "pending"
    assert right.json()["status"] == "paid"


def test_declining_over_the_api_fails_the_payment_and_grants_nothing(viewer, make_window):
    window = make_window("tvod")
    api = _token_client(viewer)
    public_id = api.post("/api/transactions", {"window_id": window.pk, "provider": "sandbox"}, format="json").json()[
        "public_id"
    ]

    declined = api.post(f"/api/transactions/{public_id}/sandbox", {"action": "decline"}, format="json")

    assert declined.json()["status"] == "failed"
    assert not Entitlement.objects.filter(user=viewer).exists()
