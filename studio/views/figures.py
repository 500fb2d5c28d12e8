"""What the studio's figure pages share: the seat check, the period, money display and CSV export of a table.

Every figures view starts from `figures_seat`: 404 for someone who works for no creator (the portal does not say
whose figures exist), 403 for a teammate whose role does not read figures (an editor)."""

import csv
import json
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.money import MINOR_UNITS, Money
from studio.access import Seat, studio_seat
from studio.periods import PRESET_CHOICES


def figures_seat(request: HttpRequest) -> Seat:
    seat = studio_seat(user=request.user)
    if seat is None:
        raise Http404
    if not seat.can_read_figures:
        raise PermissionDenied
    request.studio_seat = seat  # for the studio's context processor: navigation by role, the application's state
    return seat


def money(amount_minor: int, currency: str) -> str:
    if currency not in MINOR_UNITS:
        return f"{currency} {amount_minor}"
    return Money(int(amount_minor), currency).format()


def major(amount_minor: int, currency: str) -> float:
    """Minor units as a number of major units, for a chart's axis only (tables and CSV keep minor units)."""
    return amount_minor / 10 ** MINOR_UNITS.get(currency, 2)


def hours(seconds: float) -> float:
    return round(seconds / 3600, 1)


def percent(ratio: float) -> str:
    return f"{ratio * 100:.1f}%"


def epoch(day) -> int:
    return int(datetime.combine(day, datetime.min.time(), tzinfo=UTC).timestamp())


def chart_json(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"))


def csv_response(*, name: str, header: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return response


def csv_table(request: HttpRequest, tables: dict, *, prefix: str) -> HttpResponse | None:
    """The CSV export a request asks for (`?csv=<table>`), or None. `tables` maps a name to (header, rows);
    an unknown table name is a 404 (a link that never existed)."""
    name = request.GET.get("csv")
    if not name:
        return None
    if name not in tables:
        raise Http404
    header, rows = tables[name]
    return csv_response(name=f"{prefix}-{name}", header=header, rows=rows)


def period_refused(request: HttpRequest, template: str, invalid, **context) -> HttpResponse:
    """The page again with the period picker's error under it (400): the way forward is on the page."""
    context.update(error=invalid, params=request.GET, presets=PRESET_CHOICES)
    return render(request, template, context, status=400)
