"""Malformed signature headers are a 400 on every rail, parsed before anything is looked up or recorded."""

import pytest

from billing.models import Entitlement, Payment, ProviderEvent
from billing.tests.conftest import post_callback, signed_callback
from billing.tests.test_png import _start

pytestmark = pytest.mark.django_db

HEADERS = {"bsp": "X-BSP-Signature", "digicel": "X-CellMoni-Signature", "vodafone": "X-MPaisa-Signature",
           "sandbox": "X-Sandbox-Signature"}

MALFORMED = [
    pytest.param("t=" + "9" * 400 + ",v1=00", id="400-digit-timestamp"),
    pytest.param("t=-" + "9" * 30 + ",v1=00", id="huge-negative-timestamp"),
    pytest.param("t=1e9,v1=00", id="float-timestamp"),
    pytest.param("t=１２３,v1=00", id="non-ascii-digits"),
    pytest.param("t=,v1=", id="empty-parts"),
    pytest.param("v1=é" + "0" * 63, id="non-ascii-signature"),
    pytest.param("garbage", id="no-key-value"),
    pytest.param("t=1,v1=" + "a" * 5000, id="5000-char-header"),
]


@pytest.mark.parametrize("header", MALFORMED)
@pytest.mark.parametrize("provider", ["bsp", "digicel", "vodafone", "sandbox"])
def test_a_malformed_signature_header_is_a_400_on_every_rail(api, viewer, make_window, provider, header):
    window = make_window("tvod")
    payment = Payment.objects.get(public_id=_start(api, viewer, window, "bsp").json()["public_id"])
    body, _ = signed_callback("bsp", payment=payment)

    # the test client takes headers as latin-1 WSGI strings, as a real server hands them over
    answer = post_callback(api(), provider, body, {HEADERS[provider]: header.encode().decode("latin-1")})

    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["code"] == "bad_signature"
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert ProviderEvent.objects.count() == 0 and Entitlement.objects.count() == 0


@pytest.mark.parametrize("header", MALFORMED)
def test_a_malformed_stripe_signature_header_is_a_400(api, header):
    answer = api().post("/api/webhooks/stripe", data=b'{"id": "evt_1", "type": "charge.succeeded"}',
                        content_type="application/json", HTTP_STRIPE_SIGNATURE=header.encode().decode("latin-1"))

    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["code"] == "bad_signature"


@pytest.mark.parametrize("header", ["sha256=é" + "0" * 63, "sha256=" + "9" * 400, ""])
def test_a_malformed_transcoding_webhook_signature_is_refused(api, settings, header):
    settings.TRANSCODING_WEBHOOK_SECRET = "akash-secret"
    answer = api().post("/api/webhooks/akash", data=b'{"event_id": "e1"}', content_type="application/json",
                        HTTP_X_WANS_SIGNATURE=header.encode().decode("latin-1"))

    assert answer.status_code == 401, answer.content
    assert answer.json()["error"]["code"] == "bad_signature"
