"""The sandbox: simulates a PNG rail end to end when it has no base URL (and the `sandbox` rail always). The
payer's side is our hosted sandbox page (BSP's hosted page with its OTP step; a wallet's approval prompt) or, for a
wallet, an approval that arrives after BILLING_SANDBOX_DELAY_SECONDS through a Celery task with a countdown. Either
way the outcome becomes a callback in the rail's own shape, signed with the rail's secret, and goes through the same
handler as a real callback (billing.services.callback_handle)."""

import json
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from billing.providers.base import Initiated, hmac_header

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
    provider_ref = f"sbx_{rail.code}_{payment.reference}"
    if rail.code in ("digicel", "vodafone"):
        outcome = "paid"
        if payment.phone.endswith(DECLINE_SUFFIX):
            outcome = "failed"
        elif payment.phone.endswith(SILENT_SUFFIX):
            outcome = None
        if outcome:
            from billing.tasks import sandbox_resolve

            transaction.on_commit(
                lambda: sandbox_resolve.apply_async(
                    args=[payment.pk, outcome], countdown=settings.BILLING_SANDBOX_DELAY_SECONDS
                )
            )
        return Initiated(provider_ref=provider_ref, next_action="push", redirect_url=sandbox_page_url(payment))
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
