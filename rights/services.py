"""Writes for rights: windows (with their per-country rows kept in step) and release plans."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from catalog import selectors as catalog_selectors
from core.money import MINOR_UNITS
from rights.errors import WindowInvalid, WindowNotFound, WindowOverlap, WindowPermissionDenied
from rights.models import PRICED_TYPES, Window, WindowPrice, WindowTerritory, WindowType
from rights.notices import my_list_openings_notify
from rights.territories import UnknownTerritory, territories_expand, territories_normalize

if TYPE_CHECKING:

    from accounts.selectors import User
    from catalog.selectors import Film

__all__ = ["my_list_openings_notify"]  # lives in rights/notices.py; other apps and the beat call it from here
TERMS = ("rental_hours", "start_window_days", "event_starts_at", "edition_size", "festival_ticketed")
# Bounds that keep every date and sum inside what Python and both databases hold (a plan adds up to MAX_OFFSET_DAYS).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
MAX_OFFSET_DAYS = 3650
MAX_AMOUNT_MINOR = 10**12  # far above any real price, far below BigInteger's limit


def _short(name: object) -> str:
    """A name from the request, cut short before it goes back into an error message."""
    text = str(name)
    return text if len(text) <= 20 else text[:20] + "…"


def _date_problem(value: datetime | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        return _("Give an aware date and time (with a time zone).")
    if not EARLIEST <= value < LATEST:
        return format_lazy(_("Give a date between {first} and {last}."), first=f"{EARLIEST:%Y}", last=f"{LATEST:%Y}")
    return None


def _unknown_types(names: str):
    return format_lazy(_("Unknown window type {names}."), names=names)


def _require_manager(*, film: "Film", user: "User") -> None:
    if not catalog_selectors.film_editable_by(film=film, user=user):
        raise WindowPermissionDenied()


def _needs_price(window: Window) -> bool:
    return window.window_type in PRICED_TYPES or (
        window.window_type == WindowType.FESTIVAL and window.festival_ticketed
    )


def _validate(*, window: Window, prices: dict[str, int]) -> set[str]:
    """Check one window's fields together; return the countries it covers (and store its territories normalized).
    Raises WindowInvalid naming every field at fault; unreadable dates first, since the later checks compare them."""
    if window.window_type not in WindowType.values:
        raise WindowInvalid(fields={"window_type": [_unknown_types(_short(window.window_type))]})
    countries, fields = _territory_problems(window)
    fields |= _date_problems(window)
    if fields.keys() & set(DATE_FIELDS):
        raise WindowInvalid(fields=fields)  # the checks below compare dates
    fields |= _price_problems(window, prices)
    fields |= _terms_problems(window)
    if fields:
        raise WindowInvalid(fields=fields)
    return countries


DATE_FIELDS = ("starts_at", "ends_at", "event_starts_at")


def _territory_problems(window: Window) -> tuple[set[str], dict[str, list[str]]]:
    """The countries the window covers, its territories stored normalized; a named problem when they do not read."""
    fields: dict[str, list[str]] = {}
    try:
        window.territories = ",".join(territories_normalize(window.territories))
        countries = territories_expand(window.territories)
    except UnknownTerritory as error:
        fields["territories"] = [format_lazy(_("Unknown territory: {names}."),
                                             names=", ".join(_short(e) for e in error.entries[:10]))]
        countries = set()
    if not window.territories and not fields:
        fields["territories"] = [_("Name at least one country or group.")]
    elif len(window.territories) > Window._meta.get_field("territories").max_length:
        fields["territories"] = [
            _("Too many entries: use a group (e.g. WORLD, PACIFIC) instead of listing countries.")
        ]
    return countries, fields


def _date_problems(window: Window) -> dict[str, list[str]]:
    """Each date on its own: aware and within range; a start is required."""
    fields = {}
    for name in DATE_FIELDS:
        problem = _date_problem(getattr(window, name))
        if problem:
            fields[name] = [problem]
    if window.starts_at is None:
        fields["starts_at"] = [_("A window needs a start.")]
    return fields


def _price_problems(window: Window, prices: dict[str, int]) -> dict[str, list[str]]:
    """Known currencies and whole amounts in range; a price where the window's type sells, none where it does not."""
    problems = []
    for currency, amount in prices.items():
        if currency not in MINOR_UNITS:
            problems.append(format_lazy(_("Unknown currency {code}."), code=_short(currency)))
        elif not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= MAX_AMOUNT_MINOR:
            problems.append(format_lazy(_("{currency}: a price is a whole number of minor units from 0 to {most}."),
                                        currency=currency, most=MAX_AMOUNT_MINOR))
    if _needs_price(window) and not prices:
        problems.append(_("This kind of window needs a price in at least one currency."))
    if prices and not _needs_price(window):
        if window.window_type == WindowType.FESTIVAL:
            problems.append(_("A festival window that is not ticketed takes no price."))
        elif window.window_type in (WindowType.AVOD, WindowType.SVOD):
            problems.append(format_lazy(_("An {kind} window takes no price."), kind=window.get_window_type_display()))
        else:
            problems.append(format_lazy(_("A {kind} window takes no price."), kind=window.get_window_type_display()))
    return {"prices": problems} if problems else {}


def _terms_problems(window: Window) -> dict[str, list[str]]:
    """With readable dates: the window ends after it starts; what its type needs (a pay-per-view event within the
    window, a collector edition's size)."""
    fields = {}
    if window.ends_at is not None and window.ends_at <= window.starts_at:
        fields["ends_at"] = [_("The window must end after it starts.")]
    if window.window_type == WindowType.PPV:
        if window.event_starts_at is None:
            fields["event_starts_at"] = [_("A pay-per-view window needs the event's start time.")]
        elif not window.is_open_at(window.event_starts_at):
            fields["event_starts_at"] = [_("The event must start within the window.")]
    if window.window_type == WindowType.COLLECTOR and not window.edition_size:
        fields["edition_size"] = [_("A collector window needs an edition size.")]
    return fields


def _overlap_check(*, window: Window, countries: set[str]) -> None:
    clashes = WindowTerritory.objects.filter(
        film_id=window.film_id, window_type=window.window_type, country__in=countries
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=window.starts_at))
    if window.ends_at is not None:
        clashes = clashes.filter(starts_at__lt=window.ends_at)
    if window.pk:
        clashes = clashes.exclude(window_id=window.pk)
    first = clashes.order_by("window__starts_at", "window_id").select_related("window").first()
    if first is None:
        return
    other = first.window
    shared = sorted(clashes.filter(window=other).values_list("country", flat=True))
    ends = f"{other.ends_at:%Y-%m-%d %H:%M} UTC" if other.ends_at else _("open-ended")
    countries = ", ".join(shared[:10])
    raise WindowOverlap(
        format_lazy(_("This overlaps {kind} window #{number} ({starts} to {ends}) in {countries}."),
                    kind=other.get_window_type_display(), number=other.pk,
                    starts=f"{other.starts_at:%Y-%m-%d %H:%M} UTC", ends=ends,
                    countries=format_lazy(_("{countries} and more"), countries=countries) if len(shared) > 10
                    else countries),
        extra={
            "conflicting_window": {
                "id": other.pk,
                "type": other.window_type,
                "starts_at": other.starts_at,
                "ends_at": other.ends_at,
                "countries": shared,
            }
        },
    )


def _lock_film_type(*, film_id: int, window_type: str) -> None:
    """Serialize writers of one film's windows of one type until the transaction ends (Postgres advisory lock).
    Without it two overlapping inserts can both pass the check, both insert, and each wait in the exclusion
    constraint for the other: Postgres then kills one with a deadlock error instead of our 409. With it the second
    writer waits here, then its check sees the first one's committed window."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"rights.window:{film_id}:{window_type}"])


def _save(*, window: Window, prices: dict[str, int], countries: set[str]) -> Window:
    """Save the window, its prices and its country rows. Call inside a transaction after _validate."""
    _lock_film_type(film_id=window.film_id, window_type=window.window_type)
    _overlap_check(window=window, countries=countries)
    try:
        with transaction.atomic():
            window.save()
            WindowTerritory.objects.filter(window=window).delete()
            WindowTerritory.objects.bulk_create(
                WindowTerritory(
                    window=window,
                    film_id=window.film_id,
                    window_type=window.window_type,
                    country=country,
                    starts_at=window.starts_at,
                    ends_at=window.ends_at,
                )
                for country in sorted(countries)
            )
            WindowPrice.objects.filter(window=window).delete()
            WindowPrice.objects.bulk_create(
                WindowPrice(window=window, currency=currency, amount_minor=amount)
                for currency, amount in prices.items()
            )
    except IntegrityError:
        # The database's exclusion constraint (Postgres) saw a concurrent overlapping window commit first.
        _overlap_check(window=window, countries=countries)
        raise
    return window


def window_create(
    *,
    film: "Film",
    by: "User",
    window_type: str,
    territories: list[str] | str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    prices: dict[str, int] | None = None,
    **terms: Any,
) -> Window:
    """A new window. `by` must be the film's creator or staff; `terms` are the type's terms (TERMS). Raises
    WindowPermissionDenied (403), WindowInvalid (400, naming the fields) or WindowOverlap (409, naming the window it
    would overlap; on Postgres also when a concurrent request committed that window first)."""
    _require_manager(film=film, user=by)
    unknown = set(terms) - set(TERMS)
    if unknown:
        raise TypeError(f"unknown window terms {sorted(unknown)}")
    prices = prices or {}
    window = Window(
        film_id=film.pk,
        window_type=window_type,
        territories=",".join(territories) if isinstance(territories, list) else territories,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=by,
        **terms,
    )
    countries = _validate(window=window, prices=prices)
    with transaction.atomic():
        return _save(window=window, prices=prices, countries=countries)


def window_update(*, window: Window, by: "User", prices: dict[str, int] | None = None, **fields: Any) -> Window:
    """Change a window's territories, dates or terms (not its film or type), under a lock on its row; the country
    rows and prices follow in the same transaction. Raises as window_create, and WindowNotFound if it is gone."""
    film = catalog_selectors.film_get(film_id=window.film_id)
    _require_manager(film=film, user=by)
    allowed = {"territories", "starts_at", "ends_at", *TERMS}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")
    with transaction.atomic():
        window = Window.objects.select_for_update().filter(pk=window.pk).first()
        if window is None:
            raise WindowNotFound()
        for name, value in fields.items():
            if name == "territories" and isinstance(value, list):
                value = ",".join(value)
            setattr(window, name, value)
        if prices is None:  # keep the prices, unless the change makes the window one that takes none
            prices = dict(window.prices.values_list("currency", "amount_minor")) if _needs_price(window) else {}
        countries = _validate(window=window, prices=prices)
        return _save(window=window, prices=prices, countries=countries)


def window_delete(*, window: Window, by: "User") -> None:
    film = catalog_selectors.film_get(film_id=window.film_id)
    _require_manager(film=film, user=by)
    window.delete()


# Offsets in days from the plan's start, and which offset ends each bounded window.
PLAN_ORDER = ["festival", "cinema", "collector", "pvod", "tvod", "svod", "avod"]
DEFAULT_OFFSETS = {"festival": 0, "cinema": 30, "collector": 90, "pvod": 90, "tvod": 120, "svod": 180, "avod": 365}
PLAN_ENDS_AT = {"festival": "cinema", "cinema": "pvod", "pvod": "tvod"}


def _release_plan_check(
    *, starts_at: datetime, offsets: dict[str, int] | None, prices: dict[str, dict[str, int]] | None
) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """(the day offset of each window type, the prices of each) for a release plan, or WindowInvalid naming the
    field: an aware start in range, known types, whole offsets in range and in the plan's order."""
    problem = _date_problem(starts_at)
    if problem:
        raise WindowInvalid(fields={"starts_at": [problem]})
    days = {**DEFAULT_OFFSETS, **(offsets or {})}
    unknown = set(days) - set(DEFAULT_OFFSETS)
    if unknown:
        names = ", ".join(_short(name) for name in sorted(unknown)[:10])
        raise WindowInvalid(fields={"offsets": [_unknown_types(names)]})
    if any(
        not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_OFFSET_DAYS
        for value in days.values()
    ):
        raise WindowInvalid(fields={"offsets": [
            format_lazy(_("Offsets are whole numbers of days from 0 to {most}."), most=MAX_OFFSET_DAYS)]})
    unknown_prices = set(prices or {}) - set(DEFAULT_OFFSETS)
    if unknown_prices:
        names = ", ".join(_short(name) for name in sorted(unknown_prices)[:10])
        raise WindowInvalid(fields={"prices": [format_lazy(_("The plan has no {kinds} window."), kinds=names)]})
    for window_type, next_type in PLAN_ENDS_AT.items():
        if days[next_type] <= days[window_type]:
            raise WindowInvalid(fields={"offsets": [
                format_lazy(_("{later} must start after {earlier}."), later=next_type, earlier=window_type)]})
    return days, {**settings.RIGHTS_DEFAULT_PRICES, **(prices or {})}


def release_plan_create(
    *,
    film: "Film",
    by: "User",
    starts_at: datetime,
    territories: list[str] | str,
    offsets: dict[str, int] | None = None,
    prices: dict[str, dict[str, int]] | None = None,
) -> list[Window]:
    """The usual release sequence from one date, in one transaction: Festival [day 0, Cinema), Cinema [day 30,
    PVOD), Collector from day 90, PVOD [day 90, TVOD), TVOD from day 120, SVOD from day 180, AVOD from day 365
    (open-ended unless bounded). Offsets and prices per type override the defaults (RIGHTS_DEFAULT_PRICES): a
    type's prices replace its default prices as a whole; prices for the festival make it a ticketed one."""
    _require_manager(film=film, user=by)
    days, all_prices = _release_plan_check(starts_at=starts_at, offsets=offsets, prices=prices)
    windows = []
    with transaction.atomic():
        for window_type in PLAN_ORDER:
            start = starts_at + timedelta(days=days[window_type])
            end_type = PLAN_ENDS_AT.get(window_type)
            terms: dict[str, Any] = {}
            if window_type == "collector":
                terms["edition_size"] = settings.RIGHTS_DEFAULT_EDITION_SIZE
            if window_type == "festival":
                terms["festival_ticketed"] = bool(all_prices.get("festival"))  # priced: ticketed; else free
            windows.append(
                window_create(
                    film=film,
                    by=by,
                    window_type=window_type,
                    territories=territories,
                    starts_at=start,
                    ends_at=starts_at + timedelta(days=days[end_type]) if end_type else None,
                    prices=dict(all_prices.get(window_type, {})),
                    **terms,
                )
            )
    return windows


class _PreviewOnly(Exception):
    pass


def release_plan_preview(
    *,
    film,
    by,
    starts_at: datetime,
    territories: list[str] | str,
    offsets: dict[str, int] | None = None,
    prices: dict[str, dict[str, int]] | None = None,
) -> list[dict[str, Any]]:
    """The windows `release_plan_create` would make with these arguments, checked exactly as it checks them
    (permission, input, overlaps with the film's windows), without saving any: the plan is made in a savepoint that
    is rolled back. Raises as release_plan_create. Each item: type, territories, starts_at, ends_at, prices
    ({currency: amount_minor}), festival_ticketed, edition_size."""
    proposal: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            for window in release_plan_create(
                film=film, by=by, starts_at=starts_at, territories=territories, offsets=offsets, prices=prices
            ):
                proposal.append({
                    "type": window.window_type,
                    "territories": window.territories,
                    "starts_at": window.starts_at,
                    "ends_at": window.ends_at,
                    "prices": dict(window.prices.values_list("currency", "amount_minor")),
                    "festival_ticketed": window.festival_ticketed,
                    "edition_size": window.edition_size,
                })
            raise _PreviewOnly
    except _PreviewOnly:
        pass
    return proposal
