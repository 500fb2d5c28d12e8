"""What every studio page shows around its content: the seat (navigation by role) and the application's state."""

from accounts import selectors as accounts_selectors
from studio.access import OWNER

FILM_PAGES = {"films", "film-new", "film-edit", "film-upload", "film-windows", "window-edit", "release-plan"}
FIGURE_PAGES = {"dashboard", "film-analytics", "revenue"}


def studio(request) -> dict:
    seat = getattr(request, "studio_seat", None)  # set by studio.access.seat_required
    if seat is None:
        return {}
    profile = seat.profile or accounts_selectors.creator_profile_for(user=seat.creator)
    return {
        "seat": seat,
        "application": profile if seat.role == OWNER else None,
        "seat_creator_name": profile.display_name if profile else seat.creator.email,
        "studio_film_pages": FILM_PAGES,
        "studio_figure_pages": FIGURE_PAGES,
    }
