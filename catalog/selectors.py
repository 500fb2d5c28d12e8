"""Reads for the catalog. Availability in a territory is rights' business: callers pass `restrict_to` (a queryset
of film ids from rights' selectors) and this module applies it, so catalog itself never imports rights."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from accounts import selectors as accounts_selectors
from catalog.models import Credit, Film, FilmImage, FilmStatus, FilmTransition, FilmTranslation, Genre, MyListItem
from catalog.search import query_corrected

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.selectors import User


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


def films_visible_to(*, user: "User | AnonymousUser | None") -> QuerySet[Film]:
    """Published films for everyone; a creator, and their teammates with the editor role, also see the creator's
    films in any state; staff see every film."""
    queryset = Film.objects.all()
    if user is not None and user.is_authenticated:
        if user.is_staff:
            return queryset
        creators = [user.pk]
        if (team_creator := _editor_of(user)) is not None:
            creators.append(team_creator)
        return queryset.filter(Q(status=FilmStatus.PUBLISHED) | Q(creator_id__in=creators))
    return queryset.filter(status=FilmStatus.PUBLISHED)


_UNASKED = object()


def _editor_of(user: "User") -> int | None:
    """The id of the creator whose team `user` is on as an editor, or None. Asked of accounts once per user object
    (a request's user), so that views checking many films pay one query."""
    memo = user.__dict__.get("_wans_editor_of", _UNASKED)
    if memo is _UNASKED:
        seat = accounts_selectors.team_seat_for(user=user)
        memo = seat.creator_id if seat is not None and seat.role == "editor" else None
        user.__dict__["_wans_editor_of"] = memo
    return memo


def film_editable_by(*, film: Film, user: "User | AnonymousUser | None") -> bool:
    """May `user` manage `film` (edit it, set its windows and prices, upload its media, read its statistics, play it
    before it is published)? Staff, the film's creator and the creator's teammates with the editor role
    (accounts.selectors.team_seat_for) may. The one place this rule lives: catalog, rights, transcoding, playback,
    web and studio ask here and each raise their own coded error. The team question costs one query per user object,
    then nothing (see _editor_of)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or film.creator_id == user.pk:
        return True
    return _editor_of(user) == film.creator_id


def film_for_detail(*, user: "User | AnonymousUser | None", id_or_slug: str) -> Film | None:
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
    creator_id: int | None = None  # one creator's films (their page on the viewer site)


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
    words = q.split()[:8] or [q]  # every word somewhere in the document, in any order ("river sepik")
    for word in words:
        queryset = queryset.filter(Q(title__icontains=word) | Q(search_text__icontains=word))
    return queryset.order_by("-popularity", "-id")


def search_corrected(*, q: str) -> str | None:
    """The query with its misspelt words replaced by catalogue words ("sepik rivr" -> "sepik river"), or None."""
    return query_corrected(q)


def films_of_creator(*, user: "User") -> QuerySet[Film]:
    """Every film the user owns, in any state (the creator's own list)."""
    return _with_relations(Film.objects.filter(creator=user).order_by("-updated_at", "-id"))


def film_rejections(*, film_ids: list[int]) -> dict[int, str]:
    """The reason staff gave, for each of these films whose latest move was a refusal in review (back to draft);
    one query."""
    latest: dict[int, FilmTransition] = {}
    rows = FilmTransition.objects.filter(film_id__in=film_ids).order_by("film_id", "-at", "-id")
    for row in rows.only("film_id", "from_status", "to_status", "note"):
        latest.setdefault(row.film_id, row)
    return {
        film_id: row.note
        for film_id, row in latest.items()
        if row.from_status == FilmStatus.IN_REVIEW and row.to_status == FilmStatus.DRAFT
    }


def films_in_state(*, status: str) -> QuerySet[Film]:
    """Every film in one lifecycle state, the longest unchanged first (staff: status=in_review is the review queue)."""
    return _with_relations(Film.objects.filter(status=status).order_by("updated_at", "id"))


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
    if filters.creator_id is not None:
        queryset = queryset.filter(creator_id=filters.creator_id)
    if filters.q:
        return _with_relations(_search(queryset, filters.q))
    return _with_relations(queryset.order_by(*SORTS[filters.sort]))


def genres_all() -> QuerySet[Genre]:
    return Genre.objects.order_by("name")


def genre_name(*, genre: Genre, language: str) -> str:
    """The genre's name in a language: Tok Pisin when asked for and written, else English."""
    return genre.name_tpi if language == "tpi" and genre.name_tpi else genre.name


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


# --- cards, rows and My List (the site's reads) -----------------------------------------------------------------


def _viewable(*, restrict_to: QuerySet | None, maturity_limit: int | None) -> QuerySet[Film]:
    queryset = Film.objects.filter(status=FilmStatus.PUBLISHED)
    if restrict_to is not None:
        queryset = queryset.filter(pk__in=restrict_to)
    if maturity_limit is not None:
        queryset = queryset.filter(maturity__lte=maturity_limit)
    return queryset


def film_ids_viewable(*, film_ids: list[int], restrict_to: QuerySet | None, maturity_limit: int | None) -> list[int]:
    """Those of `film_ids` the viewer may see (published, within `restrict_to` and the limit), in the order given."""
    if not film_ids:
        return []
    allowed = set(
        _viewable(restrict_to=restrict_to, maturity_limit=maturity_limit)
        .filter(pk__in=film_ids)
        .values_list("pk", flat=True)
    )
    return [film_id for film_id in film_ids if film_id in allowed]


def films_cards(*, film_ids: list[int]) -> list[Film]:
    """The films of `film_ids`, in that order, with what a poster card shows (genres, translations, images):
    four queries whatever the number of films. Ids that are not published films are left out."""
    films = (
        Film.objects.filter(pk__in=set(film_ids), status=FilmStatus.PUBLISHED)
        .prefetch_related("genres", "translations", Prefetch("images", queryset=FilmImage.objects.order_by("width")))
        .in_bulk()
    )
    return [films[film_id] for film_id in dict.fromkeys(film_ids) if film_id in films]


def film_ids_similar(
    *, film: Film, restrict_to: QuerySet | None, maturity_limit: int | None, limit: int = 12
) -> list[int]:
    """"More like this": viewable films sharing the most genres with `film`, then the most popular. One query."""
    genre_ids = Film.genres.through.objects.filter(film_id=film.pk).values("genre_id")
    return list(
        _viewable(restrict_to=restrict_to, maturity_limit=maturity_limit)
        .exclude(pk=film.pk)
        .filter(genres__in=genre_ids)
        .annotate(shared=Count("genres"))
        .order_by("-shared", "-popularity", "-published_at", "-id")
        .values_list("pk", flat=True)[:limit]
    )


def genres_popular(*, restrict_to: QuerySet | None, maturity_limit: int | None, limit: int = 4) -> list[Genre]:
    """The genres with the most viewable films (each annotated with `film_count`), most first. One query."""
    viewable = _viewable(restrict_to=restrict_to, maturity_limit=maturity_limit).values("pk")
    return list(
        Genre.objects.annotate(film_count=Count("films", filter=Q(films__in=viewable)))
        .filter(film_count__gt=0)
        .order_by("-film_count", "name")[:limit]
    )


def my_list_for(
    *, profile_id: int, restrict_to: QuerySet | None = None, maturity_limit: int | None = None, limit: int | None = None
) -> list[int]:
    """Film ids on the profile's list, the latest saved first; only films the viewer may still see. One query."""
    viewable = _viewable(restrict_to=restrict_to, maturity_limit=maturity_limit).values("pk")
    rows = MyListItem.objects.filter(profile_id=profile_id, film__in=viewable).order_by("-added_at", "-id")
    ids = rows.values_list("film_id", flat=True)
    return list(ids[:limit] if limit else ids)


def my_list_contains(*, profile_id: int | None, film_ids: list[int]) -> set[int]:
    """Which of `film_ids` are on the profile's list (for the add/remove state of cards). One query."""
    if profile_id is None or not film_ids:
        return set()
    return set(
        MyListItem.objects.filter(profile_id=profile_id, film_id__in=film_ids).values_list("film_id", flat=True)
    )


def my_list_holders(*, film_ids: list[int]) -> dict[int, list]:
    """{film id: the accounts (users, each once) with a profile that saved it}, for published films of `film_ids`:
    who to tell when a saved film opens to them (rights' beat). One query."""
    holders: dict[int, dict] = {}
    rows = MyListItem.objects.filter(film_id__in=film_ids, film__status=FilmStatus.PUBLISHED).select_related(
        "profile__user").order_by("film_id", "profile__user_id")
    for item in rows:
        holders.setdefault(item.film_id, {})[item.profile.user_id] = item.profile.user
    return {film_id: list(users.values()) for film_id, users in holders.items()}
