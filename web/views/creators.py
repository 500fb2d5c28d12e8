"""A creator's public page: their profile and the published films a viewer here may watch."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from catalog import selectors as catalog_selectors
from web.cards import cards_for
from web.viewer import viewer_for


@require_GET
def creator(request: HttpRequest, slug: str) -> HttpResponse:
    profile = account_selectors.creator_profile_public(slug=slug)
    if profile is None:
        raise Http404
    viewer = viewer_for(request)
    ids = list(
        catalog_selectors.films_list(
            user=request.user,
            filters=catalog_selectors.FilmFilters(sort="newest", creator_id=profile.user_id),
            restrict_to=viewer.restrict(),
            maturity_limit=viewer.maturity_limit,
        ).values_list("pk", flat=True)[:120]
    )
    return render(request, "web/creator.html", {"viewer": viewer, "profile": profile,
                                                "cards": cards_for(viewer=viewer, film_ids=ids)})
