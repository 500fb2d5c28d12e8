"""Territories: ISO 3166-1 alpha-2 country codes and named groups of them, and the currency each country pays in."""

from django_countries import countries

ALL_CODES: frozenset[str] = frozenset(code for code, _ in countries)

GROUPS: dict[str, frozenset[str]] = {
    "WORLD": ALL_CODES,
    "PACIFIC": frozenset(
        {
            "PG",
            "FJ",
            "SB",
            "VU",
            "WS",
            "TO",
            "KI",
            "TV",
            "NR",
            "FM",
            "MH",
            "PW",
            "NC",
            "PF",
            "CK",
            "NU",
            "AU",
            "NZ",
            "AS",
            "GU",
            "MP",
            "WF",
            "TK",
            "PN",
            "NF",
        }
    ),
    "MELANESIA": frozenset({"PG", "FJ", "SB", "VU", "NC"}),
    "ANZ": frozenset({"AU", "NZ"}),
    "NORTH_AMERICA": frozenset({"US", "CA"}),
    "EUROPE": frozenset(
        {
            "AT",
            "BE",
            "BG",
            "HR",
            "CY",
            "CZ",
            "DK",
            "EE",
            "FI",
            "FR",
            "DE",
            "GR",
            "HU",
            "IE",
            "IT",
            "LV",
            "LT",
            "LU",
            "MT",
            "NL",
            "PL",
            "PT",
            "RO",
            "SK",
            "SI",
            "ES",
            "SE",
            "GB",
            "NO",
            "CH",
            "IS",
        }
    ),
}

EUROZONE = frozenset(
    {
        "AT",
        "BE",
        "HR",
        "CY",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PT",
        "SK",
        "SI",
        "ES",
    }
)
# Only currencies core.money knows; a window without a price in the local currency falls back to USD, then any.
CURRENCY_BY_COUNTRY = {
    "PG": "PGK",
    "AU": "AUD",
    "NZ": "NZD",
    "GB": "GBP",
    "US": "USD",
    "FJ": "FJD",
    "JP": "JPY",
    **dict.fromkeys(EUROZONE, "EUR"),
}
DEFAULT_CURRENCY = "USD"


class UnknownTerritory(ValueError):
    def __init__(self, entries: list[str]):
        self.entries = entries
        super().__init__(f"unknown territory: {', '.join(entries)}")


def territories_normalize(entries: list[str] | str) -> list[str]:
    """Upper-cased, de-duplicated entries in their given order; raises UnknownTerritory naming the bad ones."""
    if isinstance(entries, str):
        entries = entries.split(",")
    cleaned = list(dict.fromkeys(entry.strip().upper() for entry in entries if entry and entry.strip()))
    unknown = [entry for entry in cleaned if entry not in ALL_CODES and entry not in GROUPS]
    if unknown:
        raise UnknownTerritory(unknown)
    return cleaned


def territories_expand(entries: list[str] | str) -> set[str]:
    codes: set[str] = set()
    for entry in territories_normalize(entries):
        codes |= GROUPS.get(entry, {entry})
    return codes


def currency_for_country(code: str) -> str:
    return CURRENCY_BY_COUNTRY.get((code or "").upper(), DEFAULT_CURRENCY)
