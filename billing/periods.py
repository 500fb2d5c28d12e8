"""Billing periods: pure date arithmetic, no database."""

import calendar
from datetime import datetime

INTERVALS = ("month", "year")


def add_interval(moment: datetime, interval: str, count: int = 1) -> datetime:
    """The same day `count` months (or years) later, clamped to the month's last day (Jan 31 -> Feb 28)."""
    months = count * (12 if interval == "year" else 1)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
