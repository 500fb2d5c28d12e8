"""The film's windows on a timeline, one band per territory group, in the release order (Festival, Cinema,
Collector/PVOD, TVOD, SVOD, AVOD), and prices as a person types them ("PGK 15.00") read into minor units."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.money import MINOR_UNITS

ORDER = ["festival", "cinema", "collector", "pvod", "ppv", "tvod", "svod", "avod"]
OPEN_END_DAYS = 90  # how far past the last date an open-ended window is drawn


@dataclass
class Bar:
    window: object
    left: float  # percent of the timeline
    width: float
    open_ended: bool
    prices: list[str] = field(default_factory=list)


@dataclass
class Band:
    territories: str
    bars: list[Bar]


def price_words(amount_minor: int, currency: str) -> str:
    digits = MINOR_UNITS.get(currency, 2)
    return f"{currency} {amount_minor / 10 ** digits:.{digits}f}"


def timeline(windows: list) -> tuple[list[Band], datetime | None, datetime | None]:
    """Bands per territory group, each window's bar placed on one time axis shared by every band."""
    if not windows:
        return [], None, None
    first = min(w.starts_at for w in windows)
    last = max(max(w.starts_at, w.ends_at or w.starts_at) for w in windows) + timedelta(days=OPEN_END_DAYS)
    span = (last - first).total_seconds() or 1.0
    bands: dict[str, list[Bar]] = {}
    for window in sorted(windows, key=lambda w: (ORDER.index(w.window_type), w.starts_at, w.pk)):
        end = window.ends_at or last
        left = (window.starts_at - first).total_seconds() / span * 100
        width = max(1.5, (end - window.starts_at).total_seconds() / span * 100)
        bars = bands.setdefault(window.territories, [])
        bars.append(Bar(window=window, left=round(left, 2), width=round(min(width, 100 - left), 2),
                        open_ended=window.ends_at is None,
                        prices=[price_words(p.amount_minor, p.currency) for p in window.prices.all()]))
    return [Band(territories=t, bars=b) for t, b in bands.items()], first, last


def prices_parse(text: str) -> dict[str, int]:
    """Lines like "PGK 15.00" or "JPY 500" into {"PGK": 1500, "JPY": 500}. Raises ValueError with the words to show."""
    prices: dict[str, int] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.replace(",", " ").split()
        if len(parts) != 2:
            raise ValueError(line.strip()[:40])
        currency, amount = parts[0].upper(), parts[1]
        if currency not in MINOR_UNITS:
            raise ValueError(line.strip()[:40])
        digits = MINOR_UNITS[currency]
        whole, _dot, fraction = amount.partition(".")
        if not whole.isdigit() or (fraction and not fraction.isdigit()) or len(fraction) > digits:
            raise ValueError(line.strip()[:40])
        prices[currency] = int(whole) * 10 ** digits + int((fraction or "0").ljust(digits, "0") or 0)
    return prices
