"""Who is looking, as which profile, from where: what every page needs to pick the films it may show."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation

from accounts import selectors as account_selectors
from rights import selectors as rights_selectors
from web.middleware import LANGUAGE_SESSION_KEY, PROFILE_SESSION_KEY


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


def viewer_for(request: HttpRequest) -> Viewer:
    """One query for a signed-in viewer (their profile), none for a guest. Cached on the request."""
    cached = getattr(request, "_wans_viewer", None)
    if cached is not None:
        return cached
    user = request.user
    profile = None
    if user.is_authenticated:
        profile = account_selectors.profile_for_request(user=user, profile_id=request.session.get(PROFILE_SESSION_KEY))
        if profile is None and request.session.get(PROFILE_SESSION_KEY) is not None:
            # The chosen profile was deleted (maybe on another device): fall back to the first one.
            request.session.pop(PROFILE_SESSION_KEY, None)
            request.session.pop(LANGUAGE_SESSION_KEY, None)
            profile = account_selectors.profile_for_request(user=user, profile_id=None)
    viewer = Viewer(
        user=user,
        profile=profile,
        territory=rights_selectors.territory_for_request(request=request, user=user),
        language=profile.language if profile is not None else (translation.get_language() or "en"),
        maturity_limit=profile.maturity_limit if profile is not None else None,
        at=timezone.now(),
    )
    request._wans_viewer = viewer
    return viewer


def profile_select(request: HttpRequest, profile) -> None:
    """Remember the chosen profile (and its language, so that the middleware needs no query)."""
    request.session[PROFILE_SESSION_KEY] = profile.pk
    request.session[LANGUAGE_SESSION_KEY] = profile.language
    translation.activate(profile.language)
    request.LANGUAGE_CODE = profile.language
    request.__dict__.pop("_wans_viewer", None)
