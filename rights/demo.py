"""Demo windows: every published demo film gets windows so that, in PNG right now, there is something free, to
rent, in the subscription, to buy, with a ticket, in cinemas and coming soon; some abroad only."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts import selectors as account_selectors
from catalog import selectors as catalog_selectors
from rights import services
from rights.models import Window

TVOD = {"PGK": 1500, "USD": 499, "AUD": 699, "NZD": 749, "GBP": 399}
PVOD = {"PGK": 3500, "USD": 1499, "AUD": 1999, "NZD": 2199, "GBP": 1199}
TICKET = {"PGK": 1000, "USD": 799, "AUD": 999, "NZD": 999, "GBP": 599}


def _plan(index: int, now):
    """Windows for the index-th film: (type, territories, start offset days, end offset days or None, terms)."""
    day = timedelta(days=1)
    kind = index % 8
    if kind == 0:
        return [("avod", "WORLD", -200, None, {}), ("svod", "PACIFIC", -400, None, {})]
    if kind == 1:
        return [("tvod", "WORLD", -60, None, {"prices": TVOD}), ("svod", "PG,AU,NZ", 40, None, {})]
    if kind == 2:
        return [("svod", "PACIFIC,US,GB", -90, None, {}), ("avod", "PG", 300, None, {})]
    if kind == 3:
        return [
            ("pvod", "PG,AU,NZ,US,GB", -20, 40, {"prices": PVOD}),
            ("collector", "WORLD", -20, None, {"prices": {"PGK": 12000, "USD": 3999}, "edition_size": 50}),
            ("tvod", "WORLD", 40, None, {"prices": TVOD}),
        ]
    if kind == 4:
        event = now + 5 * day
        return [("ppv", "PG,AU,NZ", -10, 30, {"prices": TICKET, "event_starts_at": event.replace(microsecond=0)})]
    if kind == 5:
        return [("cinema", "PG", -10, 25, {}), ("tvod", "PG,AU,NZ,US,GB", 25, None, {"prices": TVOD})]
    if kind == 6:
        return [("festival", "PACIFIC", 14, 28, {"festival_ticketed": False}), ("svod", "WORLD", 60, None, {})]
    return [("tvod", "US,GB,AU,NZ", -30, None, {"prices": TVOD}), ("svod", "US,GB", -10, None, {})]  # not in PG


@transaction.atomic
def seed() -> list[str]:
    staff = account_selectors.user_by_email(email="admin@wans.demo")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    films = list(catalog_selectors.films_published().order_by("id"))
    created = 0
    for index, film in enumerate(films):
        if Window.objects.filter(film_id=film.pk).exists():
            continue
        for window_type, territories, start, end, terms in _plan(index, now):
            services.window_create(
                film=film,
                by=staff or film.creator,
                window_type=window_type,
                territories=territories,
                starts_at=now + timedelta(days=start),
                ends_at=now + timedelta(days=end) if end is not None else None,
                **terms,
            )
            created += 1
    return [f"{Window.objects.count()} windows ({created} new) over {len(films)} films"]
