"""One film's analytics over a period, from the daily roll-ups: views, watch time, completion, the
audience-retention curve, QoE, territories and device kinds. A fixed number of queries (the test pins it)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from playback import selectors as playback_selectors
from studio.periods import PRESET_CHOICES, PeriodInvalid, period_from
from studio.views.figures import chart_json, csv_table, epoch, figures_seat, hours, percent, period_refused


@login_required
def film_analytics(request: HttpRequest, film_id: int) -> HttpResponse:
    seat = figures_seat(request)
    film = catalog_selectors.films_of_creator(user=seat.creator).filter(pk=film_id).values("id", "title").first()
    if film is None:  # another creator's film, or none: the same answer
        raise Http404
    try:
        period = period_from(request.GET)
    except PeriodInvalid as invalid:
        return period_refused(request, "studio/figures/analytics.html", invalid, film=film)
    figures = playback_selectors.film_playback_figures(film_id=film["id"], start=period.start, end=period.end)
    unknown = _("Unknown")

    def split(rows):
        return [[r["key"] or unknown, r["views"], hours(r["watch_seconds"])] for r in rows]

    tables = {
        "retention": (
            [_("Minute"), _("Sessions still watching"), _("Share of views")],
            [[r["minute"], r["sessions"], percent(r["share"])] for r in figures["retention"]],
        ),
        "territories": ([_("Territory"), _("Views"), _("Watch hours")], split(figures["by_territory"])),
        "devices": ([_("Device"), _("Views"), _("Watch hours")], split(figures["by_device"])),
        "daily": (
            [_("Day"), _("Views"), _("Watch hours")],
            [[d["day"].isoformat(), d["views"], hours(d["watch_seconds"])] for d in figures["daily"]],
        ),
    }
    export = csv_table(request, tables, prefix=f"film-{film['id']}-{period.start}-{period.last}")
    if export is not None:
        return export
    charts = {
        "x": [epoch(d["day"]) for d in figures["daily"]],
        "views": [d["views"] for d in figures["daily"]],
        "minutes": [r["minute"] for r in figures["retention"]],
        "retention": [round(r["share"] * 100, 1) for r in figures["retention"]],
    }
    bitrate = figures["average_bitrate"]
    return render(
        request,
        "studio/figures/analytics.html",
        {
            "seat": seat,
            "film": film,
            "period": period,
            "figures": figures,
            "completion": percent(figures["completion_rate"]),
            "rebuffer": percent(figures["rebuffer_ratio"]),
            "bitrate_kbps": None if bitrate is None else round(bitrate / 1000),
            "tables": tables,
            "chart_data": chart_json(charts),
            "params": request.GET,
            "presets": PRESET_CHOICES,
        },
    )
