"""Facts about the client that every app reads the same way: its IP and, behind a trusted CDN, its country."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    if settings.WANS_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first[:45]
    return request.META.get("REMOTE_ADDR") or None


def client_country(request: HttpRequest) -> str:
    """ISO 3166-1 alpha-2 from the configured CDN header (e.g. CF-IPCountry), or "" when absent or unusable."""
    header = settings.WANS_COUNTRY_HEADER
    if not header:
        return ""
    meta_key = "HTTP_" + header.upper().replace("-", "_")
    value = request.META.get(meta_key, "").strip().upper()
    # Cloudflare sends XX for unknown and T1 for Tor: neither is a territory.
    if len(value) == 2 and value.isalpha() and value not in {"XX", "T1"}:
        return value
    return ""
