"""A creator's films: the list with status badges, create and edit (texts in English and Tok Pisin, genres, tags,
credits, artwork), send for review, archive. Every write goes through catalog's services, which check the rights."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from catalog.errors import CreatorNotApproved
from core.exceptions import DomainError
from core.forms import form_error
from studio.access import Seat, seat_film, seat_required
from studio.films import STATUS_LABELS, film_row, film_rows
from studio.forms import FilmFilterForm, FilmForm

TPI = "tpi"


@seat_required()
def films(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = FilmFilterForm(request.GET or None, statuses=list(STATUS_LABELS.items()))
    status, q = "", ""
    if form.is_valid():
        status, q = form.cleaned_data["status"], form.cleaned_data["q"]
    rows = film_rows(seat=seat, status=status, q=q)
    return render(request, "studio/films.html", {"form": form, "rows": rows, "filtered": bool(status or q)})


def _initial(film) -> dict:
    tpi = next((t for t in film.translations.all() if t.language == TPI), None)
    return {
        "title": film.title, "tagline": film.tagline, "synopsis": film.synopsis,
        "title_tpi": tpi.title if tpi else "", "tagline_tpi": tpi.tagline if tpi else "",
        "synopsis_tpi": tpi.synopsis if tpi else "",
        "runtime_minutes": film.runtime_minutes, "release_year": film.release_year, "maturity": film.maturity,
        "original_language": film.original_language, "genres": list(film.genres.all()),
        "tags": ", ".join(tag.name for tag in film.tags.all()),
        "credits": "\n".join(
            f"{c.role}: {c.person.name}" + (f" as {c.character}" if c.character else "") for c in film.credits.all()
        ),
    }


def _data(cleaned: dict, film=None) -> dict:
    """The form's values as catalog's film services take them. Translations other than Tok Pisin are kept."""
    data = {key: cleaned[key] for key in ("title", "tagline", "synopsis", "runtime_minutes", "release_year",
                                          "maturity", "original_language", "tags", "credits")}
    data["genres"] = list(cleaned["genres"])
    others = [
        {"language": t.language, "title": t.title, "tagline": t.tagline, "synopsis": t.synopsis}
        for t in (film.translations.all() if film else []) if t.language != TPI
    ]
    if cleaned["title_tpi"]:
        others.append({"language": TPI, "title": cleaned["title_tpi"], "tagline": cleaned["tagline_tpi"],
                       "synopsis": cleaned["synopsis_tpi"]})
    data["translations"] = others
    return data


def _save_images(request: HttpRequest, film, cleaned: dict) -> None:
    for kind in ("poster", "backdrop"):
        if cleaned.get(kind):
            catalog_services.film_image_set(film=film, by=request.user, kind=kind, upload=cleaned[kind])


@seat_required(edit=True)
@require_http_methods(["GET", "POST"])
def film_new(request: HttpRequest, seat: Seat) -> HttpResponse:
    form = FilmForm(request.POST or None, request.FILES or None, genres=catalog_selectors.genres_all())
    if request.method == "POST" and form.is_valid():
        try:  # an editor adds the film to the creator they work for: the film is the creator's
            film = catalog_services.film_create(creator=seat.creator, data=_data(form.cleaned_data))
            _save_images(request, film, form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Film saved as a draft. Next: upload the film itself."))
            return redirect("studio:film-upload", film_id=film.pk)
    return render(request, "studio/film_form.html", {"form": form, "film": None})


@seat_required(edit=True)
@require_http_methods(["GET", "POST"])
def film_edit(request: HttpRequest, seat: Seat, film_id: int) -> HttpResponse:
    film = seat_film(seat=seat, film_id=film_id)
    form = FilmForm(request.POST or None, request.FILES or None, genres=catalog_selectors.genres_all(),
                    initial=_initial(film))
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.film_update(film=film, by=request.user, data=_data(form.cleaned_data, film))
            _save_images(request, film, form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("studio:film-edit", film_id=film.pk)
    return render(request, "studio/film_form.html", {
        "form": form, "film": film, "row": film_row(seat=seat, film=film),
        "images": {kind: [i for i in film.images.all() if i.kind == kind] for kind in ("poster", "backdrop")},
    })


@seat_required(edit=True)
@require_POST
def film_submit(request: HttpRequest, seat: Seat, film_id: int) -> HttpResponse:
    film = seat_film(seat=seat, film_id=film_id)
    try:
        catalog_services.film_submit(film=film, by=request.user, note=request.POST.get("note", "")[:2000])
    except CreatorNotApproved:
        messages.error(request, _("Staff have not approved your creator profile yet, so films cannot be sent for "
                                  "review. Keep preparing this one: send it once you are approved."))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Sent for review. Staff will publish it or tell you what to change."))
    return redirect("studio:film-edit", film_id=film.pk)


@seat_required(edit=True)
@require_POST
def film_archive(request: HttpRequest, seat: Seat, film_id: int) -> HttpResponse:
    film = seat_film(seat=seat, film_id=film_id)
    try:
        catalog_services.film_archive(film=film, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Archived: viewers no longer find this film. Ask staff to bring it back."))
    return redirect("studio:film-edit", film_id=film.pk)
