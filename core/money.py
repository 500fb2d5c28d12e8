"""Money as integer minor units plus an ISO 4217 code. Formatting is for display only."""

from dataclasses import dataclass

# Minor-unit exponents of the currencies we price in (ISO 4217). PGK: 100 toea to the kina.
MINOR_UNITS = {"USD": 2, "PGK": 2, "AUD": 2, "NZD": 2, "GBP": 2, "EUR": 2, "FJD": 2, "JPY": 0}
SYMBOLS = {"PGK": "K", "USD": "US$", "AUD": "A$", "NZD": "NZ$", "GBP": "£", "EUR": "€", "FJD": "FJ$", "JPY": "¥"}


def money_display(amount_minor: int | None, currency: str | None, *, empty: str = "-") -> str:
    """How an amount reads on a page, in the admin and in the API's `display` ("PGK 1,234.50", "JPY 500"): the one
    formatting helper. `empty` for no amount or a currency we do not price in (an admin column for a blank row)."""
    if amount_minor is None or currency not in MINOR_UNITS:
        return empty
    return Money(amount_minor, currency).format()


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount_minor, int) or isinstance(self.amount_minor, bool):
            raise TypeError("amount_minor must be an int (minor units)")
        if self.currency not in MINOR_UNITS:
            raise ValueError(f"unsupported currency {self.currency!r}")

    def _same(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount_minor, self.currency)

    def format(self) -> str:
        exponent = MINOR_UNITS[self.currency]
        sign = "-" if self.amount_minor < 0 else ""
        whole, minor = divmod(abs(self.amount_minor), 10**exponent) if exponent else (abs(self.amount_minor), 0)
        body = f"{whole:,}" + (f".{minor:0{exponent}d}" if exponent else "")
        return f"{sign}{self.currency} {body}"
