"""The period picker of the studio's figures: the last 7, 30 or 90 complete days, a calendar month, or a custom
range of days. Figures are in UTC days and read the daily roll-ups, so a period ends yesterday at the latest
(today is rolled up tonight)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

PRESETS = (7, 30, 90, 365)
PRESET_CHOICES = [str(days) for days in PRESETS]
MAX_DAYS = 732  # two years: enough for a custom comparison, small enough for a daily chart


@dataclass(frozen=True)
class Period:
    start: date  # first day
    end: date  # the day after the last (exclusive)
    kind: str  # "7", "30", "90", "month" or "custom"
    label: str

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def query(self) -> str:
        """The query string that selects this period again (for CSV links and navigation)."""
        if self.kind == "month":
            return f"month={self.start:%Y-%m}"
        if self.kind == "custom":
            return f"start={self.start:%Y-%m-%d}&end={self.last:%Y-%m-%d}"
        return f"period={self.kind}"


class PeriodInvalid(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodInvalid(field, _("Enter a date as YYYY-MM-DD.")) from None


def period_from(params, *, today: date | None = None, default: str = "30") -> Period:
    """The period a request's query asks for (the last `default` days when it asks for none). Raises PeriodInvalid
    naming the field."""
    today = today or timezone.now().date()
    if params.get("month"):
        try:
            start = date.fromisoformat(params["month"] + "-01")
        except ValueError:
            raise PeriodInvalid("month", _("Enter a month as YYYY-MM.")) from None
        end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return Period(start=start, end=end, kind="month", label=start.strftime("%Y-%m"))
    if params.get("start") or params.get("end"):
        start = _day(params.get("start", ""), "start")
        last = _day(params.get("end", ""), "end")
        if last < start:
            raise PeriodInvalid("end", _("The end must not be before the start."))
        if (last - start).days + 1 > MAX_DAYS:
            raise PeriodInvalid("end", _("Choose at most %(days)s days.") % {"days": MAX_DAYS})
        return Period(start=start, end=last + timedelta(days=1), kind="custom", label=f"{start} – {last}")
    raw = params.get("period") or default
    if raw not in {str(n) for n in PRESETS}:
        raise PeriodInvalid("period", _("Choose 7, 30, 90 or 365 days."))
    days = int(raw)
    label = _("Last %(days)s days") % {"days": days}
    return Period(start=today - timedelta(days=days), end=today, kind=raw, label=label)
