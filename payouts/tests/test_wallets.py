"""Wallet disbursements: the documented HTTP shape against a local fake of a wallet's API, signed callbacks (a wrong
signature, a stale one, another amount or an unknown reference changes nothing; a duplicate is answered once), the
rail's refusal and its silence, and the sandbox's simulated callbacks when no base URL is set."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from billing.services import hmac_header
from core.testing.payees import ledger_balanced as balanced
from core.testing.payees import ledger_transactions
from core.testing.payees import payee_credit as credit
from core.testing.payees import payee_wallet as wallet
from payouts import selectors, services
from payouts.models import Payout, RailEvent
from payouts.rails.wallets import wallet_config

pytestmark = pytest.mark.django_db


class WalletApi:
    """A wallet's disbursement API: records requests; answers 201 with an id, the same id for a repeated
    Idempotency-Key, or the status code it is told to."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answer_status = 201
        self.status = "pending"
        self.ids: dict[str, str] = {}
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                api.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers)})
                self._send(200, {"id": self.path.rsplit("/", 1)[-1], "status": api.status, "amount": 6000,
                                 "currency": "PGK", "reason": "Wallet closed" if api.status == "failed" else ""})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                api.requests.append({"method": "POST", "path": self.path, "headers": dict(self.headers),
                                     "body": body})
                if api.answer_status >= 400:
                    self._send(api.answer_status, {"error": {"code": "msisdn_unregistered",
                                                             "message": "The number has no wallet."}})
                    return
                key = self.headers.get("Idempotency-Key", "")
                ref = api.ids.setdefault(key, f"cm_disb_{len(api.ids) + 1}")
                self._send(201, {"id": ref, "reference": body["reference"], "status": "pending"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def cellmoni(settings):
    api = WalletApi()
    settings.PAYOUTS_PNG = {**settings.PAYOUTS_PNG, "digicel": {
        **settings.PAYOUTS_PNG["digicel"], "base_url": api.url, "api_key": "cm-live-key",
        "webhook_secret": "cm-webhook-secret"}}
    yield api
    api.server.shutdown()


@pytest.fixture
def sent_payout(payee, staff, approver, cellmoni):
    wallet(payee, staff)
    credit(payee, "PGK", 6000)
    run = services.payout_run_prepare(by=staff)
    services.payout_run_approve(run=run, by=approver)
    assert services.payout_run_execute(run_id=run.pk)["outcome"] == "executed"
    return run.payouts.get()


def callback(payout, *, status="paid", event_id="evt_1", amount=None, secret="cm-webhook-secret", timestamp=None,
             reference=None, provider_ref=None):
    body = json.dumps({"event_id": event_id, "type": f"disbursement.{status}", "disbursement": {
        "id": provider_ref or payout.provider_ref, "reference": reference or payout.reference, "status": status,
        "amount": payout.amount_minor if amount is None else amount, "currency": "PGK",
        "reason": "" if status == "paid" else "Wallet closed"}}).encode()
    return body, {"HTTP_X_CELLMONI_SIGNATURE": hmac_header(secret=secret, body=body, timestamp=timestamp)}


def post(client, body, headers, rail="digicel"):
    return client.post(f"/api/webhooks/payouts/{rail}", data=body, content_type="application/json", **headers)


def test_a_disbursement_is_posted_in_the_documented_shape(sent_payout, cellmoni):
    [request] = cellmoni.requests
    assert request["path"] == "/v1/disbursements"
    assert request["headers"]["Authorization"] == "Bearer cm-live-key"
    assert request["headers"]["Idempotency-Key"] == sent_payout.reference
    assert request["body"] == {
        "merchant_id": "wans-digicel-payouts", "reference": sent_payout.reference, "amount": 6000,
        "currency": "PGK", "msisdn": "+67571234567", "description": f"WANS payout {sent_payout.reference}",
        "callback_url": "http://127.0.0.1:8000/api/webhooks/payouts/digicel",
    }
    assert (sent_payout.state, sent_payout.provider_ref) == ("sent", "cm_disb_1")
    assert sent_payout.submitted_at is not None


def test_signed_callbacks_pay_once_and_bad_ones_change_nothing(client, sent_payout):
    refused = [
        post(client, *callback(sent_payout, secret="not-the-secret")),
        post(client, *callback(sent_payout, timestamp=int(time.time()) - 3600)),  # a replay from an hour ago
        post(client, *callback(sent_payout, amount=5999)),
        post(client, *callback(sent_payout, reference="WPNOSUCH01")),
        post(client, *callback(sent_payout, provider_ref="cm_disb_999")),
        post(client, b"{}", {"HTTP_X_CELLMONI_SIGNATURE": "t=1,v1=00"}),
    ]
    assert [(r.status_code, r.json()["error"]["code"]) for r in refused] == [
        (400, "bad_signature"), (400, "bad_signature"), (400, "callback_mismatch"), (400, "callback_mismatch"),
        (400, "callback_mismatch"), (400, "bad_signature")]
    sent_payout.refresh_from_db()
    assert sent_payout.state == "sent" and RailEvent.objects.count() == 0
    body, headers = callback(sent_payout)
    assert post(client, body, headers).json() == {"event_id": "evt_1", "outcome": "paid"}
    assert post(client, body, headers).json() == {"event_id": "evt_1", "outcome": "duplicate"}
    late_failure = post(client, *callback(sent_payout, status="failed", event_id="evt_2")).json()
    assert late_failure == {"event_id": "evt_2", "outcome": "ignored: payout is paid"}
    sent_payout.refresh_from_db()
    assert sent_payout.state == "paid" and RailEvent.objects.count() == 2
    assert selectors.payee_balances(payee_id=sent_payout.payee_id) == {} and balanced()


def test_a_failure_callback_puts_the_money_back(client, sent_payout):
    answer = post(client, *callback(sent_payout, status="failed"))
    assert answer.json()["outcome"] == "failed"
    sent_payout.refresh_from_db()
    assert (sent_payout.state, sent_payout.failure_reason) == ("failed", "Wallet closed")
    assert selectors.payee_balances(payee_id=sent_payout.payee_id) == {"PGK": 6000} and balanced()


def test_another_rails_signature_header_does_not_count(client, sent_payout):
    body, headers = callback(sent_payout)
    answer = client.post("/api/webhooks/payouts/digicel", data=body, content_type="application/json",
                         HTTP_X_MPAISA_SIGNATURE=headers["HTTP_X_CELLMONI_SIGNATURE"])
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_signature"


def test_a_refusal_fails_the_payout_and_silence_is_asked_again_with_the_same_key(payee, staff, approver, cellmoni,
                                                                                settings):
    from datetime import timedelta

    from django.utils import timezone

    wallet(payee, staff)
    credit(payee, "PGK", 6000)
    run = services.payout_run_prepare(by=staff)
    services.payout_run_approve(run=run, by=approver)
    cellmoni.answer_status = 503  # down: we do not know, the payout stays sent and unsubmitted
    assert services.payout_run_execute(run_id=run.pk)["outcome"] == "retry later"
    payout = run.payouts.get()
    run.refresh_from_db()
    assert (payout.state, payout.submitted_at, run.status) == ("sent", None, "executing")
    assert "answered 503" in run.last_error
    cellmoni.answer_status = 201
    stale = timezone.now() + timedelta(seconds=settings.PAYOUTS_EXECUTION_LEASE_SECONDS + 1)
    assert services.payout_runs_resume(now=stale)["resumed"] == ["executed"]
    keys = [r["headers"]["Idempotency-Key"] for r in cellmoni.requests if r["method"] == "POST"]
    assert keys == [payout.reference, payout.reference]
    payout.refresh_from_db()
    assert payout.provider_ref == "cm_disb_1" and ledger_transactions().filter(kind="payout").count() == 1
    # the wallet never calls back: the sweep asks it
    cellmoni.status = "failed"
    later = timezone.now() + timedelta(seconds=settings.PAYOUTS_EXECUTION_LEASE_SECONDS + 1)
    assert services.payout_runs_resume(now=later)["answered"] == 1
    payout.refresh_from_db()
    assert (payout.state, payout.failure_reason) == ("failed", "Wallet closed")
    assert cellmoni.requests[-1]["path"] == "/v1/disbursements/cm_disb_1" and balanced()


def LedgerTransaction_count(kind):  # noqa: N802

    return ledger_transactions().filter(kind=kind).count()


def test_a_wallet_that_refuses_for_good_fails_the_payout(payee, staff, approver, cellmoni):
    wallet(payee, staff)
    credit(payee, "PGK", 6000)
    run = services.payout_run_prepare(by=staff)
    services.payout_run_approve(run=run, by=approver)
    cellmoni.answer_status = 422
    assert services.payout_run_execute(run_id=run.pk)["outcome"] == "executed"
    payout = run.payouts.get()
    assert (payout.state, payout.failure_reason) == (
        "failed", "Digicel CellMoni refused the payout: The number has no wallet.")
    assert selectors.payee_balances(payee_id=payee.pk) == {"PGK": 6000} and balanced()


def test_the_sandbox_answers_through_the_same_signed_handler(payee, staff, approver, settings,
                                                             django_capture_on_commit_callbacks):
    settings.PAYOUTS_SANDBOX_DELAY_SECONDS = 0
    assert wallet_config("vodafone")["base_url"] == ""
    wallet(payee, staff, rail="vodafone", msisdn="77 999 999")  # ...999: the sandbox never answers
    credit(payee, "PGK", 6000)
    run = services.payout_run_prepare(by=staff)
    services.payout_run_approve(run=run, by=approver)
    with django_capture_on_commit_callbacks(execute=True):
        services.payout_run_execute_request(run=run, by=approver)
    payout = Payout.objects.get()
    assert (payout.state, payout.provider_ref) == ("sent", f"sbx_vodafone_{payout.reference}")
    assert RailEvent.objects.count() == 0
    # the simulated rail's own answer, as its task would send it: one event, recorded as applied
    assert services.payout_sandbox_resolve(payout_id=payout.pk, outcome="paid")["outcome"] == "paid"
    assert RailEvent.objects.get().rail == "vodafone"
    assert services.payout_sandbox_resolve(payout_id=payout.pk, outcome="failed") is None  # no longer sent
