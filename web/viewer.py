"""Who is looking, as which profile, from where: what every page, and every storefront API answer, needs to pick
the films it may show."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation
from rest_framework.request import Request

from accounts import selectors as account_selectors
from catalog import selectors as catalog_selectors
from rights import selectors as rights_selectors
from web.middleware import LANGUAGE_SESSION_KEY


@dataclass
class Viewer:
    user: object
    profile: object | None
    territory: str
    language: str
    maturity_limit: int | None
    at: datetime

    @property
    def profile_id(self) -> int | None:
        return self.profile.pk if self.profile is not None else None

    def restrict(self) -> QuerySet:
        """Film ids open or coming in the viewer's territory (a subquery)."""
        return rights_selectors.film_ids_open_or_upcoming(territory=self.territory, at=self.at)

    def open_with(self, access_types: set[str]) -> QuerySet:
        return rights_selectors.film_ids_open_or_upcoming(
            territory=self.territory, at=self.at, access_types=access_types
        )


def viewer_for(request: HttpRequest | Request) -> Viewer:
    """The one viewer of the site's pages and the storefront API (web/api): user, profile, territory, language,
    maturity limit. One query for a signed-in viewer (their profile), none for a guest. Cached on the request.

    The profile: for an API request, the one the `X-Profile-Id` header (or `?profile=`) names when it is given, and
    none when that id is not the account's; otherwise the one the browser's session chose, falling back to the
    account's first (a chosen profile deleted on another device is forgotten). Without a profile the language is
    the site's active translation, and English for the API (its clients name a profile for another language)."""
    cached = getattr(request, "_wans_viewer", None)
    if cached is not None:
        return cached
    user = request.user
    api = isinstance(request, Request)
    named = (request.headers.get("X-Profile-Id") or request.query_params.get("profile")) if api else None
    profile = account_selectors.profile_for_request(user=user, profile_id=named) if named else _session_profile(request)
    viewer = Viewer(
        user=user,
        profile=profile,
        territory=rights_selectors.territory_for_request(request=request, user=user),
        language=profile.language if profile is not None else ("en" if api else translation.get_language() or "en"),
        maturity_limit=profile.maturity_limit if profile is not None else None,
        at=timezone.now(),
    )
    request._wans_viewer = viewer
    return viewer


def _session_profile(request: HttpRequest | Request):
    if not request.user.is_authenticated:
        return None
    profile = account_selectors.profile_for_session(request=request)
    if profile is None and request.session.get(account_selectors.PROFILE_SESSION_KEY) is not None:
        # The chosen profile was deleted (maybe on another device): forget it and fall back to the first one.
        request.session.pop(account_selectors.PROFILE_SESSION_KEY, None)
        request.session.pop(LANGUAGE_SESSION_KEY, None)
        profile = account_selectors.profile_for_request(user=request.user, profile_id=None)
    return profile


def film_visible_to_viewer(*, film, viewer: Viewer) -> bool:
    """May this viewer see the film's page (site) or detail (API)? The one visibility rule behind both: a published
    film open or coming in the viewer's territory and within the profile's maturity limit; its creator and staff
    (catalog.selectors.film_editable_by) see it regardless. `film` comes from catalog.selectors.film_for_detail,
    which already hides other creators' unpublished films. One query (none for an editor)."""
    if catalog_selectors.film_editable_by(film=film, user=viewer.user):
        return True
    return bool(
        catalog_selectors.film_ids_viewable(
            film_ids=[film.pk], restrict_to=viewer.restrict(), maturity_limit=viewer.maturity_limit
        )
    )


def profile_select(request: HttpRequest, profile) -> None:
    """Remember the chosen profile (and its language, so that the middleware needs no query)."""
    request.session[account_selectors.PROFILE_SESSION_KEY] = profile.pk
    request.session[LANGUAGE_SESSION_KEY] = profile.language
    translation.activate(profile.language)
    request.LANGUAGE_CODE = profile.language
    request.__dict__.pop("_wans_viewer", None)
