"""Strict reading of environment variables: a malformed value stops start-up with a message naming it."""

import ipaddress
import os
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use one of: 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}")
    return number


def env_list(name: str, default: list[str], *, choices: Iterable[str] | None = None) -> list[str]:
    """Comma-separated items; with `choices`, each item must be one of them (exactly as written)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if choices is not None:
        allowed = list(choices)
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise ImproperlyConfigured(
                f"{name}: {', '.join(repr(item) for item in unknown)} not among: {', '.join(allowed)}"
            )
    return items


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Comma-separated addresses or CIDR networks (`10.0.0.0/8,2001:db8::/32,203.0.113.7`)."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an IP address or network") from None
    return networks


def env_choice(name: str, default: str, choices: Iterable[str]) -> str:
    """One of `choices`, exactly as written (a typo such as `Redis` for `redis` stops start-up instead of quietly
    running on another setting). Also for import paths read from the environment: only the known ones."""
    allowed = list(choices)
    if default not in allowed:
        raise ImproperlyConfigured(f"{name}: the default {default!r} is not one of its choices")
    value = env_str(name, default)
    if value not in allowed:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(repr(c) for c in allowed)}")
    return value


def env_pairs(name: str, default: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Comma-separated pairs of whole numbers written `a:b` (`240:500,360:1000`), in the order given."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    pairs = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        left, colon, right = item.partition(":")
        try:
            pairs.append((int(left), int(right)))
        except ValueError:
            colon = ""
        if not colon:
            raise ImproperlyConfigured(f"{name}: {item!r} is not a pair of whole numbers written a:b (240:500)")
    return pairs


def env_amounts(name: str, default: dict[str, int]) -> dict[str, int]:
    """Comma-separated amounts in minor units per ISO currency, written `CUR:amount` (`PGK:5000,USD:2000`)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return dict(default)
    amounts = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        currency, colon, amount = item.partition(":")
        currency = currency.strip()
        if not (colon and len(currency) == 3 and currency.isalpha() and currency.isupper()
                and amount.strip().isdigit()):
            raise ImproperlyConfigured(f"{name}: {item!r} is not a currency and whole minor units written CUR:n "
                                       "(PGK:5000)")
        amounts[currency] = int(amount)
    return amounts
