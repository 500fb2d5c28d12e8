"""The home page's rows: each a short list of film ids, then one bulk load of every card on the page."""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from catalog import selectors as catalog_selectors
from playback import selectors as playback_selectors
from rights import selectors as rights_selectors
from web.cards import Card, cards_for
from web.viewer import Viewer

ROW_SIZE = 20
ALL_STREAMING = {"free", "subscription", "rent", "buy", "ticket"}


@dataclass
class Row:
    key: str
    title: str
    ids: list[int]
    cards: list[Card] = field(default_factory=list)
    more_url: str = ""
    progress: dict[int, int] = field(default_factory=dict)  # film id -> percent watched (continue watching)


def _ids(queryset, limit: int = ROW_SIZE) -> list[int]:
    return list(queryset.values_list("pk", flat=True)[:limit])


def _listed(viewer: Viewer, restrict, sort: str = "newest", genre: str | None = None) -> list[int]:
    filters = catalog_selectors.FilmFilters(sort=sort, genre=genre)
    return _ids(
        catalog_selectors.films_list(
            user=viewer.user, filters=filters, restrict_to=restrict, maturity_limit=viewer.maturity_limit
        )
    )


def coming_soon_ids(viewer: Viewer):
    """Films coming to streaming here: not those showing in cinemas now (they are in cinemas, not "coming")."""
    at = viewer.at
    in_cinemas = rights_selectors.film_ids_open_by_type(territory=viewer.territory, at=at, window_types={"cinema"})
    return rights_selectors.film_ids_coming_soon(territory=viewer.territory, at=at).exclude(film_id__in=in_cinemas)


def _shared_rows(viewer: Viewer) -> list[tuple[str, str, list[int], str]]:
    """The rows that are the same for every viewer in a territory with one maturity limit: cached briefly."""
    key = f"web:rows:{viewer.territory}:{viewer.maturity_limit}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    at = viewer.at
    streaming = viewer.open_with(ALL_STREAMING)
    rows = [
        ("hero", "", _hero_ids(viewer), ""),
        ("new", "New releases", _listed(viewer, streaming), "/browse/?sort=newest"),
        (
            "free",
            "Free to watch",
            _listed(viewer, viewer.open_with({"free"}), sort="popularity"),
            "/browse/?access=free",
        ),
        (
            "festival",
            "Festival picks",
            _listed(
                viewer,
                rights_selectors.film_ids_open_by_type(territory=viewer.territory, at=at, window_types={"festival"}),
            ),
            "",
        ),
        (
            "coming",
            "Coming soon",
            _listed(viewer, coming_soon_ids(viewer)),
            "/coming-soon/",
        ),
    ]
    genres = catalog_selectors.genres_popular(
        restrict_to=viewer.restrict(), maturity_limit=viewer.maturity_limit, limit=settings.WEB_HOME_GENRE_ROWS
    )
    for genre in genres:
        rows.append(
            (
                f"genre-{genre.slug}",
                tuple(catalog_selectors.genre_name(genre=genre, language=code) for code in ("en", "tpi")),
                _listed(viewer, viewer.restrict(), sort="popularity", genre=genre.slug),
                f"/browse/{genre.slug}/",
            )
        )
    cache.set(key, rows, settings.WEB_ROW_CACHE_SECONDS)
    return rows


def _hero_ids(viewer: Viewer) -> list[int]:
    streaming = viewer.open_with(ALL_STREAMING)
    queryset = catalog_selectors.films_list(
        user=viewer.user,
        filters=catalog_selectors.FilmFilters(sort="popularity"),
        restrict_to=streaming,
        maturity_limit=viewer.maturity_limit,
    )
    return _ids(queryset.filter(featured=True), 1) or _ids(queryset, 1)


TITLES = {
    "new": lambda: _("New releases"),
    "free": lambda: _("Free to watch"),
    "festival": lambda: _("Festival picks"),
    "coming": lambda: _("Coming soon"),
}


def _row_title(key: str, title, language: str) -> str:
    if key in TITLES:
        return TITLES[key]()
    return title[1] if language == "tpi" else title[0]  # a genre row: (English name, Tok Pisin name)


def home_rows(viewer: Viewer) -> tuple[Card | None, list[Row]]:
    """(the hero's card, the rows that have films), in a fixed number of queries."""
    rows: list[Row] = []
    if viewer.profile is not None:
        progress: dict[int, int] = {}
        history = playback_selectors.continue_watching(profile_id=viewer.profile_id, limit=ROW_SIZE)
        for item in history:
            duration = getattr(item, "duration_seconds", 0) or 0
            position = getattr(item, "position_seconds", 0) or 0
            progress[item.film_id] = min(100, round(100 * position / duration)) if duration else 0
        ids = catalog_selectors.film_ids_viewable(
            film_ids=list(progress), restrict_to=viewer.restrict(), maturity_limit=viewer.maturity_limit
        )
        rows.append(Row("continue", _("Continue watching"), ids, progress=progress))
        mine = catalog_selectors.my_list_for(
            profile_id=viewer.profile_id,
            restrict_to=viewer.restrict(),
            maturity_limit=viewer.maturity_limit,
            limit=ROW_SIZE,
        )
        rows.append(Row("my-list", _("My List"), mine, more_url="/my-list/"))
    hero_ids: list[int] = []
    for key, title, ids, more in _shared_rows(viewer):
        if key == "hero":
            hero_ids = ids
            continue
        rows.append(Row(key, _row_title(key, title, viewer.language), ids, more_url=more))
    every = hero_ids + [film_id for row in rows for film_id in row.ids]
    by_id = {card.id: card for card in cards_for(viewer=viewer, film_ids=every)}
    for row in rows:
        # Continue watching may name films no longer open here: the cards leave them out.
        row.cards = [
            replace(by_id[film_id], percent=row.progress[film_id]) if row.progress else by_id[film_id]
            for film_id in row.ids
            if film_id in by_id
        ]
    hero = by_id.get(hero_ids[0]) if hero_ids else None
    return hero, [row for row in rows if row.cards]
