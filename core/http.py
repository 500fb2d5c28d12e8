"""Facts about the client that every app reads the same way: its IP and, behind a trusted CDN, its country."""

import ipaddress
import json
import urllib.request

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    if settings.WANS_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first[:45]
    return request.META.get("REMOTE_ADDR") or None


def country_header_trusted(request: HttpRequest) -> bool:
    """Whether this request's country header may be believed: always when WANS_TRUST_COUNTRY_HEADER is on (the
    default outside production), else only when the connection comes straight from one of
    WANS_COUNTRY_HEADER_PROXIES (the CDN's or load balancer's addresses). Any client can send CF-IPCountry."""
    if settings.WANS_TRUST_COUNTRY_HEADER:
        return True
    proxies = settings.WANS_COUNTRY_HEADER_PROXIES
    if not proxies:
        return False
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in proxies)


def client_country(request: HttpRequest) -> str:
    """ISO 3166-1 alpha-2 from the configured CDN header (e.g. CF-IPCountry), or "" when absent, unusable or sent by
    a client the header is not trusted from."""
    header = settings.WANS_COUNTRY_HEADER
    if not header or not country_header_trusted(request):
        return ""
    meta_key = "HTTP_" + header.upper().replace("-", "_")
    value = request.META.get(meta_key, "").strip().upper()
    # Cloudflare sends XX for unknown and T1 for Tor: neither is a territory.
    if len(value) == 2 and value.isalpha() and value not in {"XX", "T1"}:
        return value
    return ""


def json_call(*, url: str, method: str, body: dict | None, bearer: str, idempotency_key: str, timeout: float) -> dict:
    """One JSON request to a provider's API (the PNG payment rails, their disbursement APIs): bearer auth, an
    Idempotency-Key when given, the JSON answer (an empty body reads as {}). The caller checks the URL's scheme
    and turns urllib's HTTPError / URLError, TimeoutError, OSError and ValueError (an answer not JSON) into its
    own error."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310  (the caller checked the scheme)
    request.add_header("Authorization", f"Bearer {bearer}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if idempotency_key:
        request.add_header("Idempotency-Key", idempotency_key)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read() or b"{}")
