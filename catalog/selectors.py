"""Reads for the catalog. Availability in a territory is rights' business: callers pass `restrict_to` (a queryset
of film ids from rights' selectors) and this module applies it, so catalog itself never imports rights."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from catalog.models import Credit, Film, FilmStatus, FilmTranslation, Genre


def film_get(*, film_id: int) -> Film | None:
    return Film.objects.filter(pk=film_id).first()


def films_published() -> QuerySet[Film]:
    return Film.objects.filter(status=FilmStatus.PUBLISHED).order_by("-published_at", "-id")


def _with_relations(queryset: QuerySet[Film]) -> QuerySet[Film]:
    return queryset.select_related("creator").prefetch_related(
        "genres",
        "translations",
        "images",
        Prefetch("credits", queryset=Credit.objects.select_related("person")),
        "tags",
    )


def films_visible_to(*, user) -> QuerySet[Film]:
    """Published films for everyone; a creator also sees their own films in any state; staff see every film."""
    queryset = Film.objects.all()
    if user is not None and user.is_authenticated:
        if user.is_staff:
            return queryset
        return queryset.filter(Q(status=FilmStatus.PUBLISHED) | Q(creator=user))
    return queryset.filter(status=FilmStatus.PUBLISHED)


def film_for_detail(*, user, id_or_slug: str) -> Film | None:
    queryset = _with_relations(films_visible_to(user=user))
    lookup = {"pk": int(id_or_slug)} if id_or_slug.isdigit() else {"slug": id_or_slug}
    return queryset.filter(**lookup).first()


@dataclass(frozen=True)
class FilmFilters:
    genre: str | None = None
    language: str | None = None
    year_min: int | None = None
    year_max: int | None = None
    country: str | None = None
    maturity_max: int | None = None
    q: str | None = None
    sort: str = "newest"


SORTS = {"newest": ("-published_at", "-id"), "title": ("title", "id"), "popularity": ("-popularity", "-id")}


def _search(queryset: QuerySet[Film], q: str) -> QuerySet[Film]:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
        from django.db.models import F

        query = SearchQuery(q, config="simple", search_type="websearch")
        return (
            queryset.filter(Q(search_vector=query) | Q(search_text__trigram_word_similar=q))
            .annotate(rank=SearchRank(F("search_vector"), query) + TrigramWordSimilarity(q, "title"))
            .order_by("-rank", "-popularity", "-id")
        )
    return queryset.filter(Q(title__icontains=q) | Q(search_text__icontains=q))


def films_of_creator(*, user) -> QuerySet[Film]:
    """Every film the user owns, in any state (the creator's own list)."""
    return _with_relations(Film.objects.filter(creator=user).order_by("-updated_at", "-id"))


def films_list(
    *, user, filters: FilmFilters, restrict_to: QuerySet | None = None, maturity_limit: int | None = None
) -> QuerySet[Film]:
    """The films a viewer browses: published, within `restrict_to` (rights: open or upcoming in their territory)
    and the profile's maturity limit, filtered, searched and sorted; relations prefetched, so a page costs a
    fixed number of queries whatever its size."""
    queryset = Film.objects.filter(status=FilmStatus.PUBLISHED)
    if restrict_to is not None:
        queryset = queryset.filter(pk__in=restrict_to)
    limits = [limit for limit in (maturity_limit, filters.maturity_max) if limit is not None]
    if limits:
        queryset = queryset.filter(maturity__lte=min(limits))
    if filters.genre:
        queryset = queryset.filter(
            pk__in=Film.genres.through.objects.filter(genre__slug=filters.genre).values("film_id")
        )
    if filters.language:
        lang = filters.language
        translated = FilmTranslation.objects.filter(language=lang).values("film_id")
        queryset = queryset.filter(
            Q(original_language=lang) | Q(audio_languages__contains=f",{lang},") | Q(pk__in=translated)
        )
    if filters.year_min is not None:
        queryset = queryset.filter(release_year__gte=filters.year_min)
    if filters.year_max is not None:
        queryset = queryset.filter(release_year__lte=filters.year_max)
    if filters.country:
        queryset = queryset.filter(production_countries__contains=f",{filters.country.upper()},")
    if filters.q:
        return _with_relations(_search(queryset, filters.q))
    return _with_relations(queryset.order_by(*SORTS[filters.sort]))


def genres_all() -> QuerySet[Genre]:
    return Genre.objects.order_by("name")


def genre_get(*, slug: str) -> Genre | None:
    return Genre.objects.filter(slug=slug).first()


def film_localized(*, film: Film, language: str) -> dict[str, str]:
    """Title, tagline and synopsis in `language` when translated, else the film's own. Uses prefetched rows."""
    for translation in film.translations.all():
        if translation.language == language:
            return {
                "title": translation.title or film.title,
                "tagline": translation.tagline or film.tagline,
                "synopsis": translation.synopsis or film.synopsis,
                "language": language,
            }
    return {"title": film.title, "tagline": film.tagline, "synopsis": film.synopsis, "language": film.original_language}
