"""The browse page's reads: the films matching the filters, a page of their cards, and the query strings that keep
the filters while paging (the view parses the form and renders)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator

from catalog import selectors as catalog_selectors
from web.cards import Card, cards_for
from web.viewer import Viewer


@dataclass
class BrowsePage:
    genre: object | None
    genres: list
    cards: list[Card]
    page: Page
    count: int
    prev_query: str | None
    next_query: str | None
    filters_query: str


class UnknownGenre(Exception):
    """The genre named by the URL or the filter does not exist (the view answers 404)."""


def browse_page(*, viewer: Viewer, data: dict, genre_slug: str | None = None) -> BrowsePage:
    """One page of the films the viewer may see that match `data` (a valid BrowseForm's cleaned_data) under the
    genre of the URL (`genre_slug`) or of the filter. Raises UnknownGenre."""
    genres = list(catalog_selectors.genres_all())
    genre = None
    slug = genre_slug or data.get("genre") or None
    if slug:
        genre = next((g for g in genres if g.slug == slug), None)
        if genre is None:
            raise UnknownGenre(slug)
    access = set(data.get("access") or [])
    filters = catalog_selectors.FilmFilters(
        genre=slug,
        language=data.get("language") or None,
        country=data.get("country") or None,
        year_min=data.get("year_min"),
        year_max=data.get("year_max"),
        sort=data.get("sort") or "newest",
    )
    ids = catalog_selectors.films_list(
        user=viewer.user,
        filters=filters,
        restrict_to=viewer.open_with(access) if access else viewer.restrict(),
        maturity_limit=viewer.maturity_limit,
    ).values_list("pk", flat=True)
    paginator = Paginator(ids, settings.WEB_PAGE_SIZE)
    try:
        page = paginator.page(data.get("page") or 1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    params = {
        "language": data.get("language"),
        "country": data.get("country"),
        "year_min": data.get("year_min"),
        "year_max": data.get("year_max"),
        "access": sorted(access),
        "sort": data.get("sort"),
    }
    if slug and not genre_slug:
        params["genre"] = slug
    return BrowsePage(
        genre=genre,
        genres=genres,
        cards=cards_for(viewer=viewer, film_ids=list(page.object_list)),
        page=page,
        count=paginator.count,
        prev_query=_keep(params, page=page.previous_page_number()) if page.has_previous() else None,
        next_query=_keep(params, page=page.next_page_number()) if page.has_next() else None,
        filters_query=_keep(params),
    )


def _keep(params: dict, **changes) -> str:
    """The query string of the current filters with `changes` (None drops a key)."""
    merged = {**params, **changes}
    pairs = []
    for key, value in merged.items():
        if value in (None, "", []):
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, item))
    return urlencode(pairs)
