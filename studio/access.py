"""Whom a signed-in user works for in the studio, and what they may do there.

A creator works for themselves (role "owner"). Teammates (the Team page: "editor" for films and windows, "analyst"
for analytics and revenue, read-only) work for the creator who invited them and see only that creator's films and
figures. Every studio view starts from `studio_seat(user=...)`; no view looks at `request.user`'s films directly."""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect

from accounts import selectors as accounts_selectors
from catalog import selectors as catalog_selectors

OWNER, EDITOR, ANALYST = "owner", "editor", "analyst"
_EDIT_FILMS = {OWNER, EDITOR}
_READ_FIGURES = {OWNER, ANALYST}


@dataclass(frozen=True)
class Seat:
    creator: object  # accounts.User: the creator whose films and figures these are
    role: str  # OWNER, EDITOR or ANALYST
    profile: object | None = field(default=None, compare=False)  # the creator's profile when already read (owner)

    @property
    def can_edit_films(self) -> bool:
        return self.role in _EDIT_FILMS

    @property
    def can_read_figures(self) -> bool:
        return self.role in _READ_FIGURES


def studio_seat(*, user) -> Seat | None:
    """The seat of a signed-in user, or None when they are neither a creator nor on a creator's team. A creator
    (approved or still applying) works for themselves; otherwise a teammate works for the creator who invited them
    (accounts.selectors.team_seat_for), with the role of the invitation."""
    if not user.is_authenticated:
        return None
    profile = accounts_selectors.creator_profile_for(user=user)
    if profile is not None:
        return Seat(creator=user, role=OWNER, profile=profile)
    member = accounts_selectors.team_seat_for(user=user)
    if member is not None:
        return Seat(creator=member.creator, role=member.role)
    return None


def seat_required(*, edit: bool = False, figures: bool = False, owner: bool = False):
    """Decorate a studio view `view(request, seat, ...)`: signed in, with a seat (else to "Become a creator"), and the
    role the page needs (else 404: a teammate does not learn what lies outside their role). The seat is kept on the
    request for the studio's context processor."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs):
            seat = studio_seat(user=request.user)
            if seat is None:
                return redirect("studio:apply")
            if (edit and not seat.can_edit_films) or (figures and not seat.can_read_figures) or (
                owner and seat.role != OWNER
            ):
                raise Http404
            request.studio_seat = seat
            return view(request, seat, *args, **kwargs)

        return wrapped

    return decorate


def seat_film(*, seat: Seat, film_id: int):
    """One of the seat's creator's films (any state), or 404: another creator's film id answers as if it did not
    exist."""
    film = catalog_selectors.films_of_creator(user=seat.creator).filter(pk=film_id).first()
    if film is None:
        raise Http404
    return film
