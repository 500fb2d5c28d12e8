"""BSP Pay, Digicel CellMoni and Vodafone M-PAiSA (and the `sandbox` card-like rail). None publishes an open
merchant API, so each speaks one documented, configurable HTTP shape (docs/billing.md, "PNG rails"):

    POST {base}/v1/payments           Authorization: Bearer <api key>, Idempotency-Key: <our reference>
         {"merchant_id", "reference", "amount" (minor units), "currency", "description", "callback_url",
          "return_url", "msisdn" (wallets)}  ->  201 {"id", "status": "pending", "redirect_url" (BSP's hosted page)}
    GET  {base}/v1/payments/<id>      ->  {"id", "reference", "status", "amount", "currency", "fee"}
    POST {base}/v1/payments/<id>/refunds {"amount", "reference"}  ->  {"id", "status"}
    callback: POST /api/webhooks/<rail>, header <X-...-Signature>: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>
         {"event_id", "type": "payment.paid|payment.failed|payment.expired",
          "payment": {"id", "reference", "status", "amount", "currency", "fee"}}

With no base URL configured the rail is simulated by the sandbox (billing.providers.sandbox): the same callback,
signed the same way, arrives through the same handler."""

import hashlib
import hmac
import json
import urllib.error

from django.conf import settings
from django.urls import reverse

from billing.errors import BillingInvalid, ProviderError
from billing.providers.base import Callback, Initiated, PaymentProvider, hmac_verify
from billing.providers.registry import PNG_RAIL_CODES, provider_info
from billing.providers.sandbox import sandbox_initiate
from core.http import json_call

# Read from the registry (kept by this name for the callers that sign a rail's callback).
SIGNATURE_HEADERS = {code: provider_info(code).signature_header for code in PNG_RAIL_CODES}
STATUSES = {"payment.paid": "paid", "payment.failed": "failed", "payment.expired": "expired"}


def rail_config(name: str) -> dict:
    if name == "sandbox":
        secret = hmac.new(settings.SECRET_KEY.encode(), b"billing-sandbox", hashlib.sha256).hexdigest()
        return {"base_url": "", "merchant_id": "wans-sandbox", "api_key": "", "webhook_secret": secret,
                "fee_bps": 0, "timeout": 5}
    return settings.BILLING_PNG[name]


class PngRail(PaymentProvider):
    def __init__(self, name: str):
        self.code = name
        self.info = provider_info(name)
        self.config = rail_config(name)
        self.refunds = self.info.refunds_by_api

    @property
    def simulated(self) -> bool:
        return not self.config["base_url"]

    @property
    def signature_header(self) -> str:
        return self.info.signature_header

    def _call(self, method: str, path: str, body: dict | None = None, idempotency_key: str = "") -> dict:
        url = self.config["base_url"].rstrip("/") + path
        if not url.startswith(("https://", "http://")):
            raise ProviderError(f"{self.code}'s base URL must be http(s).")
        try:
            return json_call(url=url, method=method, body=body, bearer=self.config["api_key"],
                             idempotency_key=idempotency_key, timeout=self.config["timeout"])
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
            raise ProviderError(f"{self.code} could not be reached or refused the request ({exc}).") from exc

    def initiate(self, *, payment) -> Initiated:
        if self.info.wallet and not payment.phone:
            raise BillingInvalid(fields={"phone": ["Give the wallet's phone number."]})
        if self.simulated:
            return sandbox_initiate(rail=self, payment=payment)
        answer = self._call(
            "POST",
            "/v1/payments",
            {
                "merchant_id": self.config["merchant_id"],
                "reference": payment.reference,
                "amount": payment.amount_minor,
                "currency": payment.currency,
                "description": f"WANS {payment.get_purpose_display()} {payment.reference}",
                "callback_url": f"{settings.WANS_SITE_URL}{reverse(f'billing-webhook-{self.code}')}",
                "return_url": payment.return_url,
                "msisdn": payment.phone or None,
            },
            idempotency_key=payment.reference,
        )
        if not answer.get("id"):
            raise ProviderError(f"{self.code} answered without a payment id.")
        redirect = answer.get("redirect_url") or ""
        return Initiated(
            provider_ref=str(answer["id"]),
            next_action="redirect" if redirect else "push",
            redirect_url=redirect or payment.return_url,
        )

    def status(self, *, payment) -> dict | None:
        """The rail's record of the payment: {"status", "amount", "currency", "fee", ...}, or None if simulated."""
        if self.simulated or not payment.provider_ref:
            return None
        return self._call("GET", f"/v1/payments/{payment.provider_ref}")

    def parse_callback(self, *, body: bytes, headers) -> Callback:
        hmac_verify(header=headers.get(self.signature_header), secret=self.config["webhook_secret"], body=body)
        try:
            event = json.loads(body)
            data = event["payment"]
            status = STATUSES[event["type"]]
            amount = data["amount"]
            if not isinstance(amount, int) or isinstance(amount, bool):
                raise TypeError("amount must be an integer of minor units")
            fee = data.get("fee")
            return Callback(
                event_id=str(event["event_id"])[:200],
                event_type=event["type"],
                status=status,
                reference=str(data["reference"])[:20],
                provider_ref=str(data["id"])[:120],
                amount_minor=amount,
                currency=str(data["currency"])[:3],
                fee_minor=fee if isinstance(fee, int) and not isinstance(fee, bool) and fee >= 0 else None,
                payload=event,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise BillingInvalid(f"The callback is not in the {self.code} shape ({exc}).") from exc

    def refund(self, *, payment) -> str:
        if self.simulated:
            return f"sbx_refund_{payment.reference}"
        answer = self._call(
            "POST",
            f"/v1/payments/{payment.provider_ref}/refunds",
            {"amount": payment.amount_minor, "reference": payment.reference},
            idempotency_key=f"refund-{payment.reference}",
        )
        return str(answer.get("id", ""))

    def fee_for(self, amount_minor: int) -> int:
        return (amount_minor * self.config["fee_bps"] + 5000) // 10000
