"""The sandbox: simulates a PNG rail end to end when it has no base URL (and the `sandbox` rail always). The
payer's side is our hosted sandbox page (BSP's hosted page with its OTP step; a wallet's approval prompt) or, for a
wallet, an approval that arrives after BILLING_SANDBOX_DELAY_SECONDS (the service that handed the payment over
schedules it from the decision sandbox_initiate returns: an adapter never enqueues our tasks). Either
way the outcome becomes a callback in the rail's own shape, signed with the rail's secret, and goes through the same
handler as a real callback (billing.services.callback_handle)."""

import json
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from billing.providers.base import Initiated, hmac_header
from billing.providers.registry import provider_info

# Wallet numbers that answer badly, so a demo can show every ending: ...000 declines, ...999 never answers.
DECLINE_SUFFIX = "000"
SILENT_SUFFIX = "999"


def sandbox_page_url(payment) -> str:
    """The simulated provider page, on the origin the payer came from (the return address the site built from the
    request), so that a site on another host or port hands the payer to itself, never to WANS_SITE_URL's port."""
    origin = settings.WANS_SITE_URL
    parts = urlsplit(payment.return_url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        origin = f"{parts.scheme}://{parts.netloc}"
    return f"{origin}{reverse('billing:sandbox', args=[payment.public_id])}"


def sandbox_initiate(*, rail, payment) -> Initiated:
    """What the simulated rail does with a new payment: a wallet prompts the phone and answers by itself (its
    decision is returned; the caller sends it later, as the real wallet's callback would arrive), other rails show
    our hosted sandbox page."""
    provider_ref = f"sbx_{rail.code}_{payment.reference}"
    if provider_info(rail.code).wallet:
        outcome = "paid"
        if payment.phone.endswith(DECLINE_SUFFIX):
            outcome = "failed"
        elif payment.phone.endswith(SILENT_SUFFIX):
            outcome = None
        return Initiated(provider_ref=provider_ref, next_action="push", redirect_url=sandbox_page_url(payment),
                         simulated_outcome=outcome)
    return Initiated(provider_ref=provider_ref, next_action="redirect", redirect_url=sandbox_page_url(payment))


def sandbox_callback(*, rail, payment, outcome: str) -> tuple[bytes, dict[str, str]]:
    """The callback the rail would send for `outcome` (paid, failed, expired): body and signed headers."""
    body = json.dumps(
        {
            "event_id": f"evt_{uuid.uuid4().hex}",
            "type": f"payment.{outcome}",
            "payment": {
                "id": payment.provider_ref or f"sbx_{rail.code}_{payment.reference}",
                "reference": payment.reference,
                "status": outcome,
                "amount": payment.amount_minor,
                "currency": payment.currency,
                "fee": rail.fee_for(payment.amount_minor) if outcome == "paid" else None,
            },
        }
    ).encode()
    header = hmac_header(secret=rail.config["webhook_secret"], body=body, timestamp=int(time.time()))
    return body, {rail.signature_header: header}
