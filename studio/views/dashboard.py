"""The creator's dashboard over a period: playback figures from the daily roll-ups, earnings from the ledger.
A fixed number of queries whatever the number of films (studio/tests/test_figures_pages.py pins it)."""

from collections import defaultdict
from datetime import UTC, datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from billing import selectors as billing_selectors
from catalog import selectors as catalog_selectors
from playback import selectors as playback_selectors
from studio.periods import PRESET_CHOICES, Period, PeriodInvalid, period_from
from studio.views.figures import (
    chart_json,
    csv_table,
    epoch,
    figures_seat,
    hours,
    major,
    money,
    percent,
    period_refused,
)

TOP_FILMS = 10


def period_datetimes(period: Period) -> tuple[datetime, datetime]:
    begin = datetime.combine(period.start, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(period.end, datetime.min.time(), tzinfo=UTC)
    return begin, end


def earnings(*, creator, period: Period) -> dict:
    """The creator's share per currency and per day and currency over the period (two ledger queries)."""
    since, until = period_datetimes(period)
    totals = billing_selectors.revenue_for_creator(user=creator, group_by=("currency",), since=since, until=until)
    daily = billing_selectors.revenue_for_creator(user=creator, group_by=("day", "currency"), since=since, until=until)
    return {"totals": totals, "daily": daily}


def _split_rows(rows: list[dict], label) -> list[list]:
    return [[label(r["key"]), r["views"], hours(r["watch_seconds"])] for r in rows]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    seat = figures_seat(request)
    try:
        period = period_from(request.GET)
    except PeriodInvalid as invalid:
        return period_refused(request, "studio/figures/dashboard.html", invalid)
    titles = dict(catalog_selectors.films_of_creator(user=seat.creator).values_list("id", "title"))
    figures = playback_selectors.creator_playback_figures(film_ids=list(titles), start=period.start, end=period.end)
    money_in = earnings(creator=seat.creator, period=period)
    unknown = _("Unknown")
    currencies = sorted({r["currency"] for r in money_in["daily"]})
    revenue_by_day = defaultdict(dict)
    for row in money_in["daily"]:
        revenue_by_day[row["day"]][row["currency"]] = row["earned_minor"]
    days = [d["day"] for d in figures["daily"]]
    tables = {
        "films": (
            [_("Film"), _("Views"), _("Watch hours")],
            _split_rows(figures["by_film"], lambda key: titles.get(key, key)),
        ),
        "territories": ([_("Territory"), _("Views"), _("Watch hours")], _split_rows(
            figures["by_territory"], lambda key: key or unknown)),
        "devices": ([_("Device"), _("Views"), _("Watch hours")], _split_rows(
            figures["by_device"], lambda key: key or unknown)),
        "daily": (
            [_("Day"), _("Views"), _("Watch hours")],
            [[d["day"].isoformat(), d["views"], hours(d["watch_seconds"])] for d in figures["daily"]],
        ),
        "revenue": (
            [_("Currency"), _("Your share (minor units)")],
            [[r["currency"], r["earned_minor"]] for r in money_in["totals"]],
        ),
        "revenue_daily": (
            [_("Day"), _("Currency"), _("Your share (minor units)")],
            [[r["day"].isoformat(), r["currency"], r["earned_minor"]] for r in money_in["daily"]],
        ),
    }
    export = csv_table(request, tables, prefix=f"dashboard-{period.start}-{period.last}")
    if export is not None:
        return export
    charts = {
        "x": [epoch(day) for day in days],
        "views": [d["views"] for d in figures["daily"]],
        "revenue": {
            currency: [major(revenue_by_day.get(day, {}).get(currency, 0), currency) for day in days]
            for currency in currencies
        },
    }
    return render(
        request,
        "studio/figures/dashboard.html",
        {
            "seat": seat,
            "period": period,
            "figures": figures,
            "completion": percent(figures["completion_rate"]),
            "subscriber_share": percent(figures["subscriber_share"]),
            "earned": [{"currency": r["currency"], "text": money(r["earned_minor"], r["currency"])}
                       for r in money_in["totals"]],
            "tables": tables,
            "top_films": [
                {"id": r["key"], "title": titles.get(r["key"], r["key"]), "views": r["views"],
                 "hours": hours(r["watch_seconds"])}
                for r in figures["by_film"][:TOP_FILMS]
            ],
            "revenue_daily": [
                {"day": r["day"], "currency": r["currency"], "text": money(r["earned_minor"], r["currency"])}
                for r in money_in["daily"]
            ],
            "chart_data": chart_json(charts),
            "params": request.GET,
            "presets": PRESET_CHOICES,
        },
    )

