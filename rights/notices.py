"""A film a viewer saved to My List opens to them (issue 15): a subscription window opens where they live and their
plan covers it, or a free (AVOD) window opens there. Rights sees windows and, through catalog, My List; billing
answers whether the viewer's plan covers the window (the entitlement question). A beat task asks every 15 minutes
about windows opened in the last day; each (window, viewer) is told once (its key)."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from catalog import selectors as catalog_selectors
from notifications import services as notifications
from rights.entitlements import entitlement_provider
from rights.models import WindowTerritory, WindowType

OPENING_TYPES = (WindowType.SVOD, WindowType.AVOD)
LOOKBACK = timedelta(days=1)


def my_list_openings_notify(*, at: datetime | None = None) -> int:
    """Tell each viewer whose My List holds a film whose subscription or free window opened in their country
    within LOOKBACK (and is still open). Returns the notifications written."""
    at = at or timezone.now()
    opened = WindowTerritory.objects.filter(
        window_type__in=OPENING_TYPES, starts_at__gt=at - LOOKBACK, starts_at__lte=at,
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at)).select_related("window")
    by_film: dict[int, dict[str, object]] = defaultdict(dict)
    for row in opened:
        by_film[row.film_id][row.country] = row.window
    if not by_film:
        return 0
    films = {film.pk: film for film in catalog_selectors.films_cards(film_ids=list(by_film))}
    provider = entitlement_provider()
    written = 0
    for film_id, users in catalog_selectors.my_list_holders(film_ids=list(by_film)).items():
        film = films.get(film_id)
        for user in users:
            window = by_film[film_id].get(str(user.country))
            if film is None or window is None:
                continue
            if window.window_type == WindowType.SVOD and window.pk not in provider.windows_entitled(
                user=user, windows=[window], at=at
            ):
                continue  # not on their plan (no subscription): nothing opened to them
            written += len(notifications.notify(
                event="my_list_available", user=user, key=str(window.pk),
                context={"film_title": film.title, "film_slug": film.slug, "window_type": window.window_type},
            ))
    return written
