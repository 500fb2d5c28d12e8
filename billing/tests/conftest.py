"""Billing's own test helpers (signed rail callbacks, the ledger); users, published films, windows and plans come
from core.testing (the root's plugin)."""

from datetime import UTC, datetime

import pytest

T0 = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


def signed_callback(provider: str, *, payment, status="paid", event_id="evt_1", amount=None, currency=None, fee=None,
                    secret=None, timestamp=None):
    """A rail callback body and headers, signed as the rail signs (t=..,v1=HMAC-SHA256 of "t.body")."""
    import json

    from billing.providers.base import hmac_header
    from billing.providers.png import SIGNATURE_HEADERS, rail_config

    body = json.dumps({
        "event_id": event_id,
        "type": f"payment.{status}",
        "payment": {
            "id": payment.provider_ref, "reference": payment.reference, "status": status,
            "amount": payment.amount_minor if amount is None else amount,
            "currency": currency or payment.currency, "fee": fee,
        },
    }).encode()
    header = hmac_header(secret=secret or rail_config(provider)["webhook_secret"], body=body, timestamp=timestamp)
    return body, {SIGNATURE_HEADERS[provider]: header}


def post_callback(client, provider, body, headers):
    django_headers = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    return client.post(f"/api/webhooks/{provider}", data=body, content_type="application/json", **django_headers)


def ledger_balances():
    """{account code: {currency: balance}} over the whole ledger."""
    from django.db.models import Sum

    from billing.models import LedgerEntry

    out: dict = {}
    for row in LedgerEntry.objects.values("account__code", "currency").annotate(total=Sum("amount_minor")):
        if row["total"]:
            out.setdefault(row["account__code"], {})[row["currency"]] = row["total"]
    return out
