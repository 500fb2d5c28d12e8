"""A film's windows and prices: the timeline per territory group, add, edit and delete a window (an overlap shown
on the form, naming the window it clashes with), and the release-plan generator (proposed, reviewed, then saved).
Every write goes through rights' services, which check the rights and the overlaps."""

from datetime import UTC, datetime, time

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import DomainError
from core.forms import form_error
from rights import selectors as rights_selectors
from rights import services as rights_services
from studio.access import Seat, seat_film, seat_required
from studio.forms import ReleasePlanForm, WindowForm
from studio.windows import price_words, timeline

FIELD_NAMES = {"starts_at": "starts_on", "ends_at": "ends_on", "event_starts_at": None}


def _midnight(day) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None


def _window_error(form, error: DomainError) -> None:
    renamed = {FIELD_NAMES.get(name, name) or "__all__": problems for name, problems in (error.fields or {}).items()}
    error.fields = {name if name in form.fields else "__all__": problems for name, problems in renamed.items()}
    if "__all__" in error.fields:
        for problem in error.fields.pop("__all__"):
            form.add_error(None, str(problem))
    form_error(form, error)


def _terms(data: dict) -> dict:
    terms = {"festival_ticketed": data["festival_ticketed"]}
    if data["rental_hours"]:
        terms["rental_hours"] = data["rental_hours"]
    if data["edition_size"]:
        terms["edition_size"] = data["edition_size"]
    return terms


def _clash(error: DomainError) -> int | None:
    """The id of the window an overlap clashes with (rights' WindowOverlap names it), to mark it on the timeline."""
    return ((error.extra or {}).get("conflicting_window") or {}).get("id")


def _page(request, film, *, form, editing=None, plan_form=None, proposal=None, clash=None, status=200):
    windows = list(rights_selectors.windows_for_film(film_id=film.pk))
    bands, first, last = timeline(windows)
    return render(request, "studio/film_windows.html", {
        "film": film, "bands": bands, "first": first, "last": last, "form": form, "editing": editing,
        "plan_form": plan_form or ReleasePlanForm(prefix="plan"), "proposal": proposal, "clash": clash,
    }, status=status)


@seat_required(edit=True)
@require_http_methods(["GET", "POST"])
def film_windows(request: HttpRequest, seat: Seat, film_id: int) -> HttpResponse:
    """The timeline and the form to add a window."""
    film = seat_film(seat=seat, film_id=film_id)
    form, clash = WindowForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rights_services.window_create(
                film=film, by=request.user, window_type=data["window_type"], territories=data["territories"],
                starts_at=_midnight(data["starts_on"]), ends_at=_midnight(data["ends_on"]), prices=data["prices"],
                **_terms(data),
            )
        except DomainError as error:
            _window_error(form, error)
            clash = _clash(error)
        else:
            messages.success(request, _("Window added."))
            return redirect("studio:film-windows", film_id=film.pk)
    return _page(request, film, form=form, clash=clash, status=400 if form.errors else 200)


def _film_window(seat: Seat, film_id: int, window_id: int):
    film = seat_film(seat=seat, film_id=film_id)
    window = rights_selectors.window_get(window_id=window_id)
    if window is None or window.film_id != film.pk:
        raise Http404
    return film, window


@seat_required(edit=True)
@require_http_methods(["GET", "POST"])
def window_edit(request: HttpRequest, seat: Seat, film_id: int, window_id: int) -> HttpResponse:
    film, window = _film_window(seat, film_id, window_id)
    initial = {
        "window_type": window.window_type, "territories": window.territories,
        "starts_on": window.starts_at.date(), "ends_on": window.ends_at.date() if window.ends_at else None,
        "prices": "\n".join(price_words(p.amount_minor, p.currency) for p in window.prices.all()),
        "festival_ticketed": window.festival_ticketed, "rental_hours": window.rental_hours,
        "edition_size": window.edition_size,
    }
    form, clash = WindowForm(request.POST or None, initial=initial), None
    form.fields["window_type"].disabled = True  # a window keeps its kind: delete it and add another
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rights_services.window_update(
                window=window, by=request.user, territories=data["territories"],
                starts_at=_midnight(data["starts_on"]), ends_at=_midnight(data["ends_on"]), prices=data["prices"],
                **_terms(data),
            )
        except DomainError as error:
            _window_error(form, error)
            clash = _clash(error)
        else:
            messages.success(request, _("Window saved."))
            return redirect("studio:film-windows", film_id=film.pk)
    return _page(request, film, form=form, editing=window, clash=clash, status=400 if form.errors else 200)


@seat_required(edit=True)
@require_POST
def window_delete(request: HttpRequest, seat: Seat, film_id: int, window_id: int) -> HttpResponse:
    film, window = _film_window(seat, film_id, window_id)
    try:
        rights_services.window_delete(window=window, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Window deleted."))
    return redirect("studio:film-windows", film_id=film.pk)


@seat_required(edit=True)
@require_POST
def release_plan(request: HttpRequest, seat: Seat, film_id: int) -> HttpResponse:
    """Step 1 ("Propose"): the plan shown for review, nothing saved. Step 2 ("Save this plan"): the same
    arguments, saved."""
    film = seat_film(seat=seat, film_id=film_id)
    plan_form = ReleasePlanForm(request.POST, prefix="plan")
    if not plan_form.is_valid():
        return _page(request, film, form=WindowForm(), plan_form=plan_form, status=400)
    arguments = {"film": film, "by": request.user, "starts_at": _midnight(plan_form.cleaned_data["starts_on"]),
                 "territories": plan_form.cleaned_data["territories"]}
    try:
        if request.POST.get("save") == "1":
            rights_services.release_plan_create(**arguments)
            messages.success(request, _("Release plan saved: edit any window below."))
            return redirect("studio:film-windows", film_id=film.pk)
        proposal = rights_services.release_plan_preview(**arguments)
    except DomainError as error:
        _window_error(plan_form, error)
        return _page(request, film, form=WindowForm(), plan_form=plan_form, clash=_clash(error), status=400)
    for item in proposal:
        item["price_words"] = [price_words(amount, currency) for currency, amount in sorted(item["prices"].items())]
    return _page(request, film, form=WindowForm(), plan_form=plan_form, proposal=proposal)
