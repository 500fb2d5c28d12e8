"""Disbursements to Digicel CellMoni and Vodafone M-PAiSA wallets. Like billing's PNG collection rails
(billing/providers/png.py), neither publishes an open API, so both speak one documented, configurable HTTP shape
(docs/payouts.md, "Wallets"):

    POST {base}/v1/disbursements      Authorization: Bearer <api key>, Idempotency-Key: <payout reference>
         {"merchant_id", "reference", "amount" (minor units), "currency", "msisdn", "description", "callback_url"}
         -> 201 {"id", "reference", "status": "pending"}       (the same key again answers the same disbursement)
         -> 4xx {"error": {"code", "message"}}                  refused for good (unregistered number, over a limit)
    GET  {base}/v1/disbursements/<id> -> {"id", "reference", "status": pending|paid|failed, "amount", "currency",
                                          "reason"}
    callback: POST /api/webhooks/payouts/<rail>, header X-CellMoni-Signature | X-MPaisa-Signature:
         t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>
         {"event_id", "type": "disbursement.paid|disbursement.failed",
          "disbursement": {"id", "reference", "status", "amount", "currency", "reason"}}

With no base URL the rail is simulated (the payouts sandbox): the number decides the answer (ending 000: failed,
999: never answers, any other: paid), and the service that sent the payout has the same signed callback delivered
later, through the same handler as a real one. An adapter never enqueues our tasks."""

import hashlib
import hmac
import json
import time
import urllib.error
import uuid

from django.conf import settings
from django.urls import reverse

from billing.services import hmac_header, hmac_verify
from core.http import json_call
from payouts.errors import PayoutsInvalid, RailError, RailRefused
from payouts.rails.base import DisbursementRail, RailCallback, Sent
from payouts.rails.registry import rail_info

STATUSES = {"disbursement.paid": "paid", "disbursement.failed": "failed"}
DECLINE_SUFFIX = "000"
SILENT_SUFFIX = "999"
# Answers that may change on a retry (a timeout, a conflict while the first request is processed, throttling): the
# payout stays sent and the next execution asks again with the same idempotency key.
RETRYABLE = {408, 409, 425, 429}


def wallet_config(code: str) -> dict:
    """PAYOUTS_PNG[code]; a simulated rail signs with a secret derived from SECRET_KEY, never a published one."""
    config = dict(settings.PAYOUTS_PNG[code])
    if not config["base_url"]:
        config["webhook_secret"] = hmac.new(
            settings.SECRET_KEY.encode(), f"payouts-sandbox-{code}".encode(), hashlib.sha256
        ).hexdigest()
    return config


class WalletRail(DisbursementRail):
    def __init__(self, code: str):
        self.code = code
        self.info = rail_info(code)
        self.config = wallet_config(code)

    @property
    def simulated(self) -> bool:
        return not self.config["base_url"]

    def _call(self, method: str, path: str, body: dict | None = None, idempotency_key: str = "") -> dict:
        url = self.config["base_url"].rstrip("/") + path
        if not url.startswith(("https://", "http://")):
            raise RailError(f"{self.info.label}'s base URL must be http(s).")
        try:
            return json_call(url=url, method=method, body=body, bearer=self.config["api_key"],
                             idempotency_key=idempotency_key, timeout=self.config["timeout"])
        except urllib.error.HTTPError as exc:
            detail = _error_message(exc)
            if 400 <= exc.code < 500 and exc.code not in RETRYABLE:
                raise RailRefused(f"{self.info.label} refused the payout: {detail}") from exc
            raise RailError(f"{self.info.label} answered {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
            raise RailError(f"{self.info.label} could not be reached ({exc}).") from exc

    def send(self, *, payout) -> Sent:
        msisdn = payout.account.msisdn
        if self.simulated:
            outcome = "paid"
            if msisdn.endswith(DECLINE_SUFFIX):
                outcome = "failed"
            elif msisdn.endswith(SILENT_SUFFIX):
                outcome = None
            return Sent(provider_ref=f"sbx_{self.code}_{payout.reference}", simulated_outcome=outcome)
        answer = self._call(
            "POST",
            "/v1/disbursements",
            {
                "merchant_id": self.config["merchant_id"],
                "reference": payout.reference,
                "amount": payout.amount_minor,
                "currency": payout.currency,
                "msisdn": msisdn,
                "description": f"WANS payout {payout.reference}",
                "callback_url": f"{settings.WANS_SITE_URL}{reverse(f'payouts-webhook-{self.code}')}",
            },
            idempotency_key=payout.reference,
        )
        if not answer.get("id"):
            raise RailError(f"{self.info.label} answered without a disbursement id.")
        return Sent(provider_ref=str(answer["id"])[:120])

    def status(self, *, payout) -> dict | None:
        if self.simulated or not payout.provider_ref:
            return None
        return self._call("GET", f"/v1/disbursements/{payout.provider_ref}")

    def parse_callback(self, *, body: bytes, headers) -> RailCallback:
        hmac_verify(header=headers.get(self.info.signature_header), secret=self.config["webhook_secret"], body=body)
        try:
            event = json.loads(body)
            data = event["disbursement"]
            status = STATUSES[event["type"]]
            amount = data["amount"]
            if not isinstance(amount, int) or isinstance(amount, bool):
                raise TypeError("amount must be an integer of minor units")
            return RailCallback(
                event_id=str(event["event_id"])[:200], event_type=event["type"], status=status,
                reference=str(data["reference"])[:16], provider_ref=str(data["id"])[:120], amount_minor=amount,
                currency=str(data["currency"])[:3], reason=str(data.get("reason") or "")[:200], payload=event,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise PayoutsInvalid(f"The callback is not in the {self.info.label} disbursement shape ({exc}).") from exc

    def sandbox_callback(self, *, payout, outcome: str) -> tuple[bytes, dict[str, str]]:
        """The callback the rail would send for `outcome` (paid or failed): body and signed headers."""
        body = json.dumps({
            "event_id": f"evt_{uuid.uuid4().hex}",
            "type": f"disbursement.{outcome}",
            "disbursement": {
                "id": payout.provider_ref or f"sbx_{self.code}_{payout.reference}", "reference": payout.reference,
                "status": outcome, "amount": payout.amount_minor, "currency": payout.currency,
                "reason": "" if outcome == "paid" else "The sandbox wallet declined (number ending 000).",
            },
        }).encode()
        header = hmac_header(secret=self.config["webhook_secret"], body=body, timestamp=int(time.time()))
        return body, {self.info.signature_header: header}


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        error = json.loads(exc.read() or b"{}").get("error") or {}
        return str(error.get("message") or error.get("code") or exc.reason)[:200]
    except (ValueError, AttributeError, OSError):
        return str(exc.reason)[:200]
