"""A PNG rail with a base URL speaks its documented HTTP shape: checked against a local fake of the rail's API."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from billing import errors, services
from billing.models import Payment

pytestmark = pytest.mark.django_db


class Rail:
    def __init__(self, *, fail=False):
        self.requests: list[dict] = []
        self.status = "pending"
        rail = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                rail.requests.append({"path": self.path, "headers": dict(self.headers), "body": None})
                answer = {"id": "bsp_pay_77", "status": rail.status, "amount": 1500, "currency": "PGK", "fee": 30}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                rail.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if fail:
                    self.send_response(503)
                    self.end_headers()
                    return
                if self.path.endswith("/refunds"):
                    answer = {"id": "rf_1", "status": "refunded"}
                else:
                    answer = {"id": "bsp_pay_77", "status": "pending",
                              "redirect_url": "https://pay.bsp.example/hosted/bsp_pay_77"}
                data = json.dumps(answer).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def bsp(settings):
    rail = Rail()
    settings.BILLING_PNG = {**settings.BILLING_PNG, "bsp": {**settings.BILLING_PNG["bsp"], "base_url": rail.url,
                                                            "api_key": "live-key-1"}}
    yield rail
    rail.server.shutdown()


def test_bsp_initiate_posts_the_documented_shape(viewer, staff, make_window, bsp, api):
    from billing.tests.conftest import post_callback, signed_callback

    window = make_window("tvod")
    payment = services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="bsp", territory="PG")
    assert (payment.provider_ref, payment.next_action) == ("bsp_pay_77", "redirect")
    assert payment.redirect_url == "https://pay.bsp.example/hosted/bsp_pay_77"
    [request] = bsp.requests
    assert request["path"] == "/v1/payments"
    assert request["headers"]["Authorization"] == "Bearer live-key-1"
    assert request["headers"]["Idempotency-Key"] == payment.reference
    assert request["body"] == {
        "merchant_id": "wans-bsp", "reference": payment.reference, "amount": 1500, "currency": "PGK",
        "description": f"WANS One-time purchase {payment.reference}",
        "callback_url": "http://127.0.0.1:8000/api/webhooks/bsp", "return_url": payment.return_url, "msisdn": None,
    }
    # the real rail's callback names its own payment id
    assert post_callback(api(), "bsp", *signed_callback("bsp", payment=payment)).json()["outcome"] == "paid"
    services.payment_refund(payment=payment, by=staff, reason="test")
    assert bsp.requests[-1]["path"] == "/v1/payments/bsp_pay_77/refunds"
    assert bsp.requests[-1]["body"] == {"amount": 1500, "reference": payment.reference}


def test_a_rail_that_fails_leaves_the_payment_failed_and_grants_nothing(viewer, make_window, settings):
    rail = Rail(fail=True)
    settings.BILLING_PNG = {**settings.BILLING_PNG, "digicel": {**settings.BILLING_PNG["digicel"],
                                                                "base_url": rail.url}}
    window = make_window("tvod")
    with pytest.raises(errors.ProviderError):
        services.checkout_purchase_start(user=viewer, window_id=window.pk, provider="digicel", territory="PG",
                                         phone="70012345")
    assert list(Payment.objects.values_list("status", flat=True)) == ["failed"]
    assert rail.requests[0]["body"]["msisdn"] == "70012345"
    rail.server.shutdown()


def test_a_lost_callback_is_found_by_asking_the_rail_before_expiring(viewer, make_window, bsp):
    from datetime import timedelta

    from django.utils import timezone

    first = services.checkout_purchase_start(user=viewer, window_id=make_window("tvod").pk, provider="bsp",
                                             territory="PG")
    later = timezone.now() + timedelta(hours=1)
    bsp.status = "paid"
    assert services.payments_expire(at=later) == 0
    first.refresh_from_db()
    assert (first.status, first.fee_minor) == ("paid", 30)
    assert bsp.requests[-1]["path"] == "/v1/payments/bsp_pay_77"
    assert first.entitlements.count() == 1
