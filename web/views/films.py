"""Home, browse, film pages, search and My List."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors as account_selectors
from billing import selectors as billing_selectors
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from catalog.errors import FilmNotFound
from rights import selectors as rights_selectors
from web.availability import describe
from web.browse import UnknownGenre, browse_page
from web.cards import cards_for
from web.forms import BrowseForm, SearchForm
from web.rows import coming_soon_ids, home_rows
from web.viewer import film_visible_to_viewer, profile_select, viewer_for

SUGGEST_LIMIT = 6
ROLE_WORDS = {  # credit roles in the profile's language (catalog's labels are English, for the admin)
    "writer": gettext_lazy("Writer"),
    "producer": gettext_lazy("Producer"),
    "cinematographer": gettext_lazy("Cinematographer"),
    "editor": gettext_lazy("Editor"),
    "composer": gettext_lazy("Composer"),
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and account_selectors.PROFILE_SESSION_KEY not in request.session:
        profiles = list(account_selectors.profiles_for(user=request.user)[:2])
        if len(profiles) != 1:
            return redirect(reverse("web:profiles") + "?next=/")  # "Who's watching?" first
        profile_select(request, profiles[0])  # one profile: nobody to ask
    viewer = viewer_for(request)
    hero, rows = home_rows(viewer)
    return render(request, "web/home.html", {"viewer": viewer, "hero": hero, "rows": rows})


@require_GET
def browse(request: HttpRequest, genre_slug: str | None = None) -> HttpResponse:
    viewer = viewer_for(request)
    form = BrowseForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Some filters were not understood and have been reset."))
        form = BrowseForm({key: value for key, value in request.GET.items() if key not in form.errors})
        form.is_valid()
    try:
        result = browse_page(viewer=viewer, data=form.cleaned_data, genre_slug=genre_slug)
    except UnknownGenre:
        raise Http404 from None
    return render(request, "web/browse.html", {"viewer": viewer, "form": form, **vars(result)})


def _plan_name(user) -> str | None:
    if not user.is_authenticated:
        return None
    subscription = billing_selectors.subscription_active_for(user=user)
    plan = getattr(subscription, "plan", None)
    return getattr(plan, "name", None) if plan is not None else None


@require_GET
def film(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request)
    film = catalog_selectors.film_for_detail(user=request.user, id_or_slug=slug)
    if film is None or film.slug != slug:
        raise Http404
    if not film_visible_to_viewer(film=film, viewer=viewer):
        raise Http404
    similar_ids = catalog_selectors.film_ids_similar(
        film=film, restrict_to=viewer.restrict(), maturity_limit=viewer.maturity_limit
    )
    # One availability question for the film and its "More like this" cards.
    answers = rights_selectors.availability_bulk(
        film_ids=[film.pk, *similar_ids], territory=viewer.territory, at=viewer.at, user=request.user
    )
    answer = answers[film.pk]
    text = catalog_selectors.film_localized(film=film, language=viewer.language)
    status = describe(
        answer=answer,
        slug=film.slug,
        watch_url=reverse("playback:watch", args=[film.slug]),
        plan_name=_plan_name(request.user) if answer["access"]["granted"] else None,
        signed_in=request.user.is_authenticated,
    )
    cards = cards_for(viewer=viewer, film_ids=[film.pk, *similar_ids], answers=answers)
    this = cards[0] if cards and cards[0].id == film.pk else None
    credits = list(film.credits.all())
    return render(
        request,
        "web/film.html",
        {
            "viewer": viewer,
            "film": film,
            "card": this,
            "text": text,
            "status": status,
            "genres": [
                (g.slug, catalog_selectors.genre_name(genre=g, language=viewer.language)) for g in film.genres.all()
            ],
            "directors": [c.person.name for c in credits if c.role == "director"],
            "cast": [c for c in credits if c.role == "cast"],
            "crew": [(ROLE_WORDS.get(c.role, c.get_role_display()), c.person.name) for c in credits
                     if c.role not in ("director", "cast")],
            "similar": [card for card in cards if card.id != film.pk],
            "in_list": bool(this and this.in_list),
        },
    )


def _search_ids(request: HttpRequest, q: str, limit: int) -> list[int]:
    viewer = viewer_for(request)
    queryset = catalog_selectors.films_list(
        user=request.user,
        filters=catalog_selectors.FilmFilters(q=q),
        restrict_to=viewer.restrict(),
        maturity_limit=viewer.maturity_limit,
    )
    return list(queryset.values_list("pk", flat=True)[:limit])


def _search_with_correction(request: HttpRequest, q: str, limit: int) -> tuple[list[int], str | None]:
    """The films for `q`; when a word looks misspelt, the films for the corrected query come first and the
    correction is returned for "Did you mean". Two searches at most, whatever the database."""
    ids = _search_ids(request, q, limit)
    corrected = catalog_selectors.search_corrected(q=q)
    if not corrected:
        return ids, None
    better = _search_ids(request, corrected, limit)
    if not better:  # nothing visible to this profile behind the correction: do not suggest it
        return ids, None
    return (better + [pk for pk in ids if pk not in better])[:limit], corrected


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    ids, corrected = _search_with_correction(request, q, 60) if q else ([], None)
    cards = cards_for(viewer=viewer, film_ids=ids) if ids else []
    return render(
        request, "web/search.html", {"viewer": viewer, "form": form, "q": q, "cards": cards, "corrected": corrected}
    )


@require_GET
def search_suggest(request: HttpRequest) -> HttpResponse:
    """As-you-type results: a small HTML fragment the search box's script puts under it."""
    viewer = viewer_for(request)
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    if len(q) < 2:
        return HttpResponse("")
    ids, corrected = _search_with_correction(request, q, SUGGEST_LIMIT)
    cards = cards_for(viewer=viewer, film_ids=ids) if ids else []
    return render(request, "web/_suggest.html", {"q": q, "cards": cards, "corrected": corrected})


@require_GET
def coming_soon(request: HttpRequest) -> HttpResponse:
    """Every film coming to streaming where the viewer is (the home row's "See all")."""
    viewer = viewer_for(request)
    ids = list(
        catalog_selectors.films_list(
            user=request.user,
            filters=catalog_selectors.FilmFilters(sort="newest"),
            restrict_to=coming_soon_ids(viewer),
            maturity_limit=viewer.maturity_limit,
        ).values_list("pk", flat=True)[:120]
    )
    return render(request, "web/coming_soon.html", {"viewer": viewer, "cards": cards_for(viewer=viewer, film_ids=ids)})


@login_required
@require_GET
def my_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    ids = (
        catalog_selectors.my_list_for(
            profile_id=viewer.profile_id, restrict_to=viewer.restrict(), maturity_limit=viewer.maturity_limit
        )
        if viewer.profile
        else []
    )
    return render(request, "web/my_list.html", {"viewer": viewer, "cards": cards_for(viewer=viewer, film_ids=ids)})


@login_required
@require_POST
def my_list_toggle(request: HttpRequest, film_id: int) -> HttpResponse:
    """Add (action=add) or remove (action=remove) a film. Answers JSON to the card's script, else redirects back."""
    viewer = viewer_for(request)
    action = request.POST.get("action")
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if action not in {"add", "remove"} or viewer.profile is None:
        if wants_json:
            return JsonResponse(
                {"error": {"code": "invalid", "message": _("Choose add or remove."), "fields": {"action": []}}},
                status=400,
            )
        messages.error(request, _("That did not work. Please try again."))
        return redirect("web:my-list")
    try:
        if action == "add":
            visible = catalog_selectors.film_ids_viewable(
                film_ids=[film_id], restrict_to=viewer.restrict(), maturity_limit=viewer.maturity_limit
            )
            if not visible:
                raise FilmNotFound()
            catalog_services.my_list_add(profile=viewer.profile, film_id=film_id)
        else:
            catalog_services.my_list_remove(profile=viewer.profile, film_id=film_id)
    except FilmNotFound as error:
        if wants_json:
            return JsonResponse(error.as_body(), status=error.http_status)
        raise Http404 from None
    in_list = action == "add"
    if wants_json:
        return JsonResponse({"film_id": film_id, "in_list": in_list})
    messages.success(request, _("Added to My List.") if in_list else _("Removed from My List."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("web:my-list")
    return redirect(back)
