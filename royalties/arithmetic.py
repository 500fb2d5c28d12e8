"""Integer shares, exactly: every split sums to what was split (largest remainder), every rounding is half up and
symmetric (a negative amount, a refund, is split as the mirror of the positive one), and conversion between
currencies happens here only, for display, at rates recorded on the statement."""

from decimal import ROUND_HALF_UP, Decimal

from core.money import MINOR_UNITS

FULL = 10_000  # basis points


def _sign(amount: int) -> int:
    return -1 if amount < 0 else 1


def largest_remainder(amount: int, weights: dict) -> dict:
    """Split `amount` (minor units, any sign) by integer `weights` (keys sortable): floor of each exact part, then
    one more unit to the largest remainders (ties to the smaller key), so the parts sum to `amount` exactly. A
    negative amount is split as the mirror of its absolute value."""
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("weights must sum to more than zero")
    sign, magnitude = _sign(amount), abs(amount)
    exact = {key: magnitude * weight for key, weight in weights.items()}
    parts = {key: value // total for key, value in exact.items()}
    left = magnitude - sum(parts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] % total), k))[:left]:
        parts[key] += 1
    return {key: sign * part for key, part in parts.items()}


def portion(amount: int, bps: int) -> int:
    """`bps` basis points of `amount`, rounded half up away from zero's mirror (portion(-x) == -portion(x))."""
    return _sign(amount) * ((abs(amount) * bps + FULL // 2) // FULL)


def portion_down(amount: int, bps: int) -> int:
    """`bps` basis points of `amount`, rounded towards zero (what a recoupment may take: never more than its share)."""
    return _sign(amount) * (abs(amount) * bps // FULL)


def convert(amount_minor: int, *, currency: str, to: str, rate: str, to_rate: str) -> int | None:
    """`amount_minor` of `currency` in `to`'s minor units, at rates given as reporting currency per unit of each
    (decimal strings, as a statement records them), rounded half up. None when a rate or currency is unknown."""
    if not rate or not to_rate or currency not in MINOR_UNITS or to not in MINOR_UNITS:
        return None
    value = Decimal(amount_minor) * Decimal(rate) / Decimal(to_rate)
    value = value.scaleb(MINOR_UNITS[to] - MINOR_UNITS[currency])
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
