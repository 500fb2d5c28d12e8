"""What the creator earned, from the ledger: by film, monetization model, currency and month (their share, net of
refunds, of the net after the payment provider's fee), before royalties divides it between the films' payees. The
page links the monthly statements (studio/views/statements.py)."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing import selectors as billing_selectors
from catalog import selectors as catalog_selectors
from studio.periods import PRESET_CHOICES, PeriodInvalid, period_from
from studio.views.dashboard import period_datetimes
from studio.views.figures import csv_table, figures_seat, money, period_refused

MODELS = {
    "tvod": gettext_lazy("Rental (TVOD)"),
    "pvod": gettext_lazy("Premium (PVOD)"),
    "ppv": gettext_lazy("Pay-per-view event"),
    "festival": gettext_lazy("Festival pass"),
    "collector": gettext_lazy("Collector edition"),
    "svod": gettext_lazy("Subscription pool (SVOD)"),
}


def _summed(rows: list[dict], key) -> list[dict]:
    sums: dict[tuple, int] = defaultdict(int)
    for row in rows:
        sums[(key(row), row["currency"])] += row["earned_minor"]
    return [{"key": k, "currency": c, "earned_minor": v} for (k, c), v in sorted(sums.items(), key=lambda i: str(i[0]))]


@login_required
def revenue(request: HttpRequest) -> HttpResponse:
    seat = figures_seat(request)
    titles = dict(catalog_selectors.films_of_creator(user=seat.creator).values_list("id", "title"))
    film_id = request.GET.get("film") or None
    if film_id is not None and (not film_id.isdigit() or int(film_id) not in titles):
        raise Http404  # another creator's film (or no film): the same answer
    try:
        period = period_from(request.GET, default="365")
    except PeriodInvalid as invalid:
        return period_refused(request, "studio/figures/revenue.html", invalid)
    since, until = period_datetimes(period)
    rows = billing_selectors.revenue_for_creator(
        user=seat.creator, since=since, until=until, film_id=int(film_id) if film_id else None
    )
    title = lambda key: titles.get(key, _("Other"))  # noqa: E731  (SVOD splits name a film; nothing else is filmless)
    model = lambda key: str(MODELS.get(key, key or _("Other")))  # noqa: E731
    by_film = _summed(rows, lambda r: r["film_id"])
    by_model = _summed(rows, lambda r: r["model"])
    by_month = _summed(rows, lambda r: r["period"])
    by_currency = _summed(rows, lambda r: "")
    header = [_("Currency"), _("Your share (minor units)")]
    tables = {
        "films": ([_("Film"), *header], [[title(r["key"]), r["currency"], r["earned_minor"]] for r in by_film]),
        "models": ([_("Model"), *header], [[model(r["key"]), r["currency"], r["earned_minor"]] for r in by_model]),
        "months": ([_("Month"), *header], [[r["key"], r["currency"], r["earned_minor"]] for r in by_month]),
        "detail": (
            [_("Month"), _("Film"), _("Model"), *header],
            [[r["period"], title(r["film_id"]), model(r["model"]), r["currency"], r["earned_minor"]] for r in rows],
        ),
    }
    export = csv_table(request, tables, prefix=f"revenue-{period.start}-{period.last}")
    if export is not None:
        return export

    def shown(summed: list[dict], label) -> list[dict]:
        return [
            {"label": label(r["key"]), "key": r["key"], "currency": r["currency"],
             "text": money(r["earned_minor"], r["currency"])}
            for r in summed
        ]

    return render(
        request,
        "studio/figures/revenue.html",
        {
            "seat": seat,
            "period": period,
            "film_filter": int(film_id) if film_id else None,
            "film_title": titles.get(int(film_id)) if film_id else None,
            "films": sorted(titles.items(), key=lambda item: item[1].lower()),
            "totals": shown(by_currency, lambda key: ""),
            "by_film": shown(by_film, title),
            "by_model": shown(by_model, model),
            "by_month": shown(by_month, lambda key: key),
            "statements_url": reverse("studio:statements"),
            "params": request.GET,
            "presets": PRESET_CHOICES,
        },
    )
