"""The console's reads: each figure comes from the owning app's selectors; this module only puts them together.
The overview's aggregates are cached for OVERVIEW_CACHE_SECONDS (the figures move slowly and the index is the page
staff land on); what moves by the second (streams playing now) is read on every request."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache

from accounts import selectors as accounts_selectors
from billing import selectors as billing_selectors
from payouts import selectors as payouts_selectors
from playback import selectors as playback_selectors
from transcoding import selectors as transcoding_selectors

OVERVIEW_CACHE_SECONDS = 60
CHART_DAYS = 30


@dataclass(frozen=True)
class Money:
    currency: str
    amount_minor: int

    @property
    def major(self) -> str:
        return f"{self.amount_minor / 100:,.2f}"


def _start_of_day(at: datetime) -> datetime:
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def overview_figures(*, now: datetime) -> dict:
    """Everything on the overview but the live figures; see overview()."""
    today = _start_of_day(now)
    reporting = settings.BILLING_REPORTING_CURRENCY
    rates = billing_selectors.exchange_rates_on(day=now.date())
    summary = billing_selectors.subscriptions_live_summary()
    mrr = billing_selectors.mrr_by_currency(summary=summary)
    months = billing_selectors.revenue_months(now=now)
    by_plan: dict[tuple[str, str], int] = {}
    for row in summary:
        key = (row["plan__name"], row["currency"])
        by_plan[key] = by_plan.get(key, 0) + row["count"]
    revenue = {}
    for key in ("this", "last"):
        total, missing = billing_selectors.to_reporting(amounts=months[key], rates=rates)
        revenue[key] = {"by_currency": [Money(c, a) for c, a in sorted(months[key].items())],
                        "reporting": Money(reporting, total), "missing_rates": missing}
    revenue["rows"] = [
        {"currency": c, "this": Money(c, months["this"].get(c, 0)), "last": Money(c, months["last"].get(c, 0))}
        for c in sorted(set(months["this"]) | set(months["last"]))
    ]
    mrr_total, mrr_missing = billing_selectors.to_reporting(amounts=mrr, rates=rates)
    first_day = today - timedelta(days=CHART_DAYS - 1)
    played = playback_selectors.playback_per_day(start=first_day.date(), end=today.date())
    paid = billing_selectors.paid_per_day(since=first_day, until=today + timedelta(days=1))
    joined = accounts_selectors.users_joined_per_day(since=first_day, until=today + timedelta(days=1))
    today_play = playback_selectors.playback_since(since=today)
    days = [(first_day + timedelta(days=n)).date() for n in range(CHART_DAYS)]
    paid_by_day: dict = {}
    for (day, currency), amount in paid.items():
        paid_by_day.setdefault(day, {})[currency] = amount
    series = {
        "days": [int(datetime(d.year, d.month, d.day).timestamp()) for d in days],
        "views": [played.get(d, {}).get("views", 0) for d in days[:-1]] + [today_play["views"]],
        "watch_hours": [round(played.get(d, {}).get("watched_seconds", 0) / 3600, 1) for d in days[:-1]]
        + [round(today_play["watched_seconds"] / 3600, 1)],
        "revenue": [billing_selectors.to_reporting(amounts=paid_by_day.get(d, {}), rates=rates)[0] / 100
                    for d in days],
        "signups": [joined.get(d, 0) for d in days],
    }
    return {
        "users": accounts_selectors.users_joined_counts(now=now),
        "subscriptions": [{"plan": plan, "currency": currency, "count": count}
                          for (plan, currency), count in sorted(by_plan.items())],
        "subscriptions_total": sum(row["count"] for row in summary),
        "mrr": {"by_currency": [Money(c, a) for c, a in sorted(mrr.items())],
                "reporting": Money(reporting, mrr_total), "missing_rates": mrr_missing},
        "revenue": revenue,
        "today": {"views": today_play["views"], "watch_hours": round(today_play["watched_seconds"] / 3600, 1),
                  "bytes": today_play["bytes"]},
        "storage": transcoding_selectors.storage_used(),
        "queue": transcoding_selectors.queue_stats(),
        "series": series,
        "computed_at": now,
    }


def overview(*, now: datetime, fresh: bool = False) -> dict:
    """The overview: cached aggregates (recomputed every OVERVIEW_CACHE_SECONDS, or when `fresh`) plus the streams
    playing now."""
    figures = None if fresh else cache.get("console:overview")
    if figures is None:
        figures = overview_figures(now=now)
        cache.set("console:overview", figures, OVERVIEW_CACHE_SECONDS)
    return {**figures, "streams_now": playback_selectors.streams_active_count(now=now)}


PENDING = [
    ("films", "Films awaiting review"),
    ("jobs", "Failed or stalled transcoding jobs"),
    ("transfers", "Bank transfers to reconcile"),
    ("stuck", "Payments pending past their time-to-live"),
    ("refunds", "Refund requests"),
    ("lockouts", "Locked-out sign-ins"),
    ("payout_runs", "Payout runs awaiting approval"),
]


def pending_querysets(*, now: datetime) -> dict:
    """Each pending list, unevaluated (the view slices and counts them). Refund requests: billing has no request
    yet (staff refund from the payment page), so the list is empty until it does."""
    from catalog import selectors as catalog_selectors

    return {
        "films": catalog_selectors.films_in_state(status="in_review"),
        "jobs": transcoding_selectors.jobs_needing_attention(now=now),
        "transfers": billing_selectors.bank_transfers_to_reconcile(),
        "stuck": billing_selectors.payments_pending_past_ttl(now=now),
        "refunds": [],
        "lockouts": accounts_selectors.lockouts_active(now=now),
        "payout_runs": payouts_selectors.runs_awaiting_approval(),
    }


def pending_counts(*, now: datetime) -> list[dict]:
    """[{key, label, count}] for the overview: one COUNT per list."""
    lists = pending_querysets(now=now)
    return [{"key": key, "label": label, "count": len(lists[key]) if isinstance(lists[key], list)
             else lists[key].count()} for key, label in PENDING]


def film_review(*, film_id: int, user) -> dict | None:
    """What a reviewer needs on one page: the film, its images, windows, jobs and packaged media, the checklist and
    the decisions so far. None if there is no such film."""
    from catalog import selectors as catalog_selectors
    from rights import selectors as rights_selectors

    film = catalog_selectors.film_get(film_id=film_id)
    if film is None:
        return None
    windows = list(rights_selectors.windows_for_film(film_id=film.pk))
    jobs = list(transcoding_selectors.jobs_visible_to(user=user).filter(film_id=film.pk)[:10])
    media = transcoding_selectors.film_media(film_id=film.pk)
    missing = [name for name, value in (("synopsis", film.synopsis), ("runtime", film.runtime_minutes),
                                        ("release year", film.release_year), ("poster", film.poster)) if not value]
    checklist = [
        ("Metadata complete", not missing, "missing: " + ", ".join(missing) if missing else "title, synopsis, "
         "runtime, release year and poster"),
        ("Maturity set", film.maturity is not None, film.get_maturity_display()),
        ("Windows set", bool(windows), f"{len(windows)} window(s)" if windows else "no window: nobody could watch"),
        ("Media ready", media is not None, f"job {media.job_id}, {len(media.renditions)} renditions" if media
         else "no completed feature job"),
    ]
    return {"film": film, "windows": windows, "jobs": jobs, "media": media, "checklist": checklist,
            "ready": all(ok for _, ok, _ in checklist), "images": list(film.images.all()),
            "decisions": list(film.transitions.select_related("by").order_by("-at", "-id"))}
