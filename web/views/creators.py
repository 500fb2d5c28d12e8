"""A creator's public page: their profile and the published films a viewer here may watch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors as account_selectors
from catalog import selectors as catalog_selectors
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from notifications.errors import CannotFollow
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
    return render(request, "web/creator.html", {
        "viewer": viewer, "profile": profile, "cards": cards_for(viewer=viewer, film_ids=ids),
        "following": notification_selectors.is_following(user=request.user, creator_id=profile.user_id),
        "followers": notification_selectors.followers_count(creator_id=profile.user_id),
    })


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow (action=follow) or stop following (action=unfollow) a creator, to hear of their new films."""
    profile = account_selectors.creator_profile_public(slug=slug)
    if profile is None:
        raise Http404
    try:
        following = notification_services.follow_set(user=request.user, creator_id=profile.user_id,
                                                     following=request.POST.get("action") != "unfollow")
    except CannotFollow as error:
        messages.error(request, error.message)
    else:
        if following:
            messages.success(request, _("You follow %(name)s: we'll tell you about their new films.") % {
                "name": profile.display_name})
        else:
            messages.info(request, _("You no longer follow %(name)s.") % {"name": profile.display_name})
    return redirect("web:creator", slug=slug)
