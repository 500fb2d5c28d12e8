"""Quiet hours: a daily span in the person's time zone (it may cross midnight, 21:00-07:00) during which
non-urgent messages on interrupting channels wait for its end."""

import zoneinfo
from datetime import UTC, datetime, time, timedelta


def quiet_until(*, at: datetime, start: time | None, end: time | None, time_zone: str) -> datetime | None:
    """The end of the quiet span `at` falls in (aware UTC), or None when `at` is outside it (or there is none)."""
    if start is None or end is None or start == end:
        return None
    local = at.astimezone(zoneinfo.ZoneInfo(time_zone))
    now = local.timetz().replace(tzinfo=None)
    if start < end:
        inside = start <= now < end
        end_day = local.date()
    else:  # across midnight
        inside = now >= start or now < end
        end_day = local.date() + timedelta(days=1) if now >= start else local.date()
    if not inside:
        return None
    ends = datetime.combine(end_day, end, tzinfo=local.tzinfo)
    return ends.astimezone(UTC)
