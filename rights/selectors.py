"""Reads for rights: which windows are open where, and the availability answer a viewer sees."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from core.http import client_country
from core.money import Money
from rights.entitlements import entitlement_provider
from rights.models import Window, WindowPrice, WindowTerritory, WindowType, access_type_of
from rights.territories import DEFAULT_CURRENCY, currency_for_country

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from accounts.selectors import User

ACCESS_TYPES = {"free", "subscription", "rent", "buy", "ticket"}
# Window types that stream (a cinema window says where to see the film, it grants nothing here).
OFFER_KIND = {
    WindowType.TVOD: "rent",
    WindowType.PVOD: "buy",
    WindowType.COLLECTOR: "buy",
    WindowType.PPV: "ticket",
    WindowType.SVOD: "subscribe",
}


def territory_for_request(*, request: "HttpRequest", user: "User | AnonymousUser | None") -> str:
    """The trusted CDN header's country, else the account's country, else WANS_DEFAULT_TERRITORY."""
    country = client_country(request)
    if country:
        return country
    if user is not None and getattr(user, "is_authenticated", False) and user.country:
        return user.country.code
    return settings.WANS_DEFAULT_TERRITORY


def windows_for_film(*, film_id: int) -> QuerySet[Window]:
    return Window.objects.filter(film_id=film_id).prefetch_related("prices").order_by("starts_at", "id")


def window_get(*, window_id: int) -> Window | None:
    return Window.objects.filter(pk=window_id).first()


def _windows_in(*, film_ids: list[int], territory: str) -> QuerySet[Window]:
    in_territory = WindowTerritory.objects.filter(country=territory, film_id__in=film_ids).values("window_id")
    return (
        Window.objects.filter(pk__in=in_territory)
        .prefetch_related(Prefetch("prices", queryset=WindowPrice.objects.order_by("currency")))
        .order_by("starts_at", "id")
    )


def film_ids_open_or_upcoming(*, territory: str, at: datetime, access_types: set[str] | None = None) -> QuerySet:
    """Film ids (a values_list to use as a subquery) with a window in `territory` that is open at `at` or starts
    later. With `access_types` (a subset of ACCESS_TYPES: free, subscription, rent, buy, ticket), only films open
    now through a window of one of those kinds; an empty set or only unknown names match nothing."""
    rows = WindowTerritory.objects.filter(country=territory).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
    if access_types is not None:
        if not set(access_types) & ACCESS_TYPES:  # nothing it could match (unknown names are ignored)
            return WindowTerritory.objects.none().values_list("film_id", flat=True)
        kinds = Q()
        for window_type in WindowType:
            for ticketed in (False, True):
                if access_type_of(window_type, ticketed) in access_types:
                    condition = Q(window_type=window_type)
                    if window_type == WindowType.FESTIVAL:
                        condition &= Q(window__festival_ticketed=ticketed)
                    kinds |= condition
        rows = rows.filter(kinds, starts_at__lte=at)
    return rows.values_list("film_id", flat=True)



def film_ids_open_by_type(*, territory: str, at: datetime, window_types: set[str]) -> QuerySet:
    """Film ids (a values_list subquery) with a window of one of `window_types` open in `territory` at `at`
    (e.g. {"festival"} for the site's festival row)."""
    return (
        WindowTerritory.objects.filter(country=territory, window_type__in=window_types, starts_at__lte=at)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        .values_list("film_id", flat=True)
    )


def film_ids_coming_soon(*, territory: str, at: datetime) -> QuerySet:
    """Film ids (a values_list subquery) with a window starting in `territory` after `at` and nothing streaming
    there now (a film in cinemas only, or not yet out at all, is coming soon)."""
    streaming_now = film_ids_open_or_upcoming(territory=territory, at=at, access_types=ACCESS_TYPES)
    return (
        WindowTerritory.objects.filter(country=territory, starts_at__gt=at)
        .exclude(film_id__in=streaming_now)
        .values_list("film_id", flat=True)
    )


def _price(window: Window, currency: str) -> dict[str, Any] | None:
    by_currency = {price.currency: price for price in window.prices.all()}
    price = by_currency.get(currency) or by_currency.get(DEFAULT_CURRENCY) or next(iter(by_currency.values()), None)
    if price is None:
        return None
    return {
        "amount_minor": price.amount_minor,
        "currency": price.currency,
        "display": Money(price.amount_minor, price.currency).format(),
    }


def _window_brief(window: Window) -> dict[str, Any]:
    return {
        "id": window.pk,
        "type": window.window_type,
        "starts_at": window.starts_at,
        "ends_at": window.ends_at,
        "free": window.is_free,
        "event_starts_at": window.event_starts_at,
    }


def _offer(window: Window, currency: str) -> dict[str, Any]:
    kind = "ticket" if window.window_type == WindowType.FESTIVAL else OFFER_KIND[window.window_type]
    offer: dict[str, Any] = {
        "kind": kind,
        "window_id": window.pk,
        "window_type": window.window_type,
        "price": None if kind == "subscribe" else _price(window, currency),
        "available_until": window.ends_at,
    }
    if window.window_type == WindowType.TVOD:
        offer.update(rental_hours=window.rental_hours, start_window_days=window.start_window_days)
    if window.window_type == WindowType.PPV:
        offer["event_starts_at"] = window.event_starts_at
    if window.window_type == WindowType.COLLECTOR:
        offer["edition_size"] = window.edition_size
    return offer


def _owned_after_close(window: Window, at: datetime) -> bool:
    """A collector edition is bought to keep: its buyers still watch after the window (the sale) has closed."""
    return window.window_type == WindowType.COLLECTOR and window.starts_at <= at and not window.is_open_at(at)


def _answer(*, film_id: int, windows: list[Window], territory: str, at: datetime, entitled: set[int], user) -> dict:
    open_now = [w for w in windows if w.is_open_at(at)]
    streaming = [w for w in open_now if w.window_type != WindowType.CINEMA]
    upcoming = sorted((w for w in windows if w.starts_at > at), key=lambda w: (w.starts_at, w.pk))
    currency = currency_for_country(territory)
    is_staff = bool(getattr(user, "is_staff", False))
    access: dict[str, Any] = {"granted": False, "window": None, "via": None}
    free = next((w for w in streaming if w.is_free), None)
    held = [w for w in streaming if w.pk in entitled] + [
        w for w in windows if w.pk in entitled and _owned_after_close(w, at)
    ]
    # A pay-per-view ticket plays from the event's start (staff may look earlier).
    playable = [
        w for w in held if is_staff or w.window_type != WindowType.PPV or (w.event_starts_at or w.starts_at) <= at
    ]
    if free is not None:
        access = {"granted": True, "window": {"id": free.pk, "type": free.window_type}, "via": "free"}
    elif playable:
        access = {
            "granted": True,
            "window": {"id": playable[0].pk, "type": playable[0].window_type},
            "via": "staff" if is_staff else "entitlement",
        }
    elif held:  # a ticket for an event that has not begun: held, not yet playable
        access = {"granted": False, "window": {"id": held[0].pk, "type": held[0].window_type}, "via": "entitlement"}
    offers = (
        [] if access["granted"] else [_offer(w, currency) for w in streaming if not w.is_free and w.pk not in entitled]
    )
    cinema = next((w for w in open_now if w.window_type == WindowType.CINEMA), None)
    nxt = upcoming[0] if upcoming else None
    return {
        "film_id": film_id,
        "territory": territory,
        "at": at,
        "currency": currency,
        "access": access,
        "open_windows": [_window_brief(w) for w in open_now],
        "offers": offers,
        "in_cinemas": cinema is not None,
        "in_cinemas_until": cinema.ends_at if cinema else None,
        "next_window": {"id": nxt.pk, "type": nxt.window_type, "starts_at": nxt.starts_at} if nxt else None,
    }


def availability_bulk(
    *, film_ids: list[int], territory: str, at: datetime, user: "User | AnonymousUser | None"
) -> dict[int, dict]:
    """Availability of many films at once: two queries for the windows and their prices, and one call to the
    entitlement provider, whatever the number of films. Returns {film_id: answer} for every id given."""
    by_film: dict[int, list[Window]] = {film_id: [] for film_id in film_ids}
    windows = list(_windows_in(film_ids=film_ids, territory=territory))
    for window in windows:
        by_film[window.film_id].append(window)
    # The provider is asked about the windows that could grant access now: open, streamed and not free, plus
    # collector editions whose sale has closed.
    askable = [
        w
        for w in windows
        if (w.is_open_at(at) and w.window_type != WindowType.CINEMA and not w.is_free) or _owned_after_close(w, at)
    ]
    entitled = entitlement_provider().windows_entitled(user=user, windows=askable, at=at) if askable else set()
    return {
        film_id: _answer(
            film_id=film_id, windows=by_film[film_id], territory=territory, at=at, entitled=entitled, user=user
        )
        for film_id in film_ids
    }


def availability_for(*, film_id: int, territory: str, at: datetime, user: "User | AnonymousUser | None") -> dict:
    """Can this viewer watch this film, here, now, and if not, how could they?"""
    return availability_bulk(film_ids=[film_id], territory=territory, at=at, user=user)[film_id]


def windows_upcoming(*, film_id: int, territory: str, at: datetime) -> list[dict]:
    windows = _windows_in(film_ids=[film_id], territory=territory).filter(starts_at__gt=at)
    currency = currency_for_country(territory)
    return [{**_window_brief(w), "price": _price(w, currency)} for w in windows]


def currency_for_territory(*, territory: str) -> str:
    """The currency a viewer in `territory` is charged in (PG -> PGK, AU -> AUD, ...; else USD)."""
    return currency_for_country(territory)
