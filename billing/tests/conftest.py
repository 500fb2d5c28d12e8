from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from catalog import services as catalog_services
from rights import services as rights_services

PRICES = {
    "tvod": {"PGK": 1500, "USD": 499},
    "pvod": {"PGK": 3500, "USD": 1499},
    "ppv": {"PGK": 2000, "USD": 799},
    "festival": {"PGK": 1000, "USD": 399},
    "collector": {"PGK": 12000, "USD": 3999},
}


@pytest.fixture
def creator(make_user):
    return make_user("creator")


@pytest.fixture
def staff(make_user):
    return make_user("admin")


@pytest.fixture
def viewer(make_user):
    return make_user("viewer")


@pytest.fixture
def make_film(creator, staff):
    def make(title="Kokoda Dawn", owner=None):
        film = catalog_services.film_create(creator=owner or creator, data={"title": title})
        catalog_services.film_submit(film=film, by=owner or creator)
        catalog_services.film_approve(film=film, by=staff)
        return film

    return make


@pytest.fixture
def film(make_film):
    return make_film()


@pytest.fixture
def make_window(film, staff):
    """make_window("tvod") -> an open window in PG and the US, priced from PRICES, started a day ago."""

    def make(window_type, *, on=None, starts_at=None, ends_at=None, territories="PG,US", prices=None, **terms):
        start = starts_at or timezone.now() - timedelta(days=1)
        if window_type == "ppv":
            terms.setdefault("event_starts_at", start + timedelta(minutes=1))
        if window_type == "collector":
            terms.setdefault("edition_size", 3)
        if window_type == "festival":
            terms.setdefault("festival_ticketed", True)
        return rights_services.window_create(
            film=on or film,
            by=staff,
            window_type=window_type,
            territories=territories,
            starts_at=start,
            ends_at=ends_at,
            prices=PRICES.get(window_type) if prices is None else prices,
            **terms,
        )

    return make


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
