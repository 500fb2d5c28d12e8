"""Poster cards: a film as a row or a grid shows it, built for many films in a fixed number of queries."""

from dataclasses import dataclass

from django.urls import reverse

from catalog import selectors as catalog_selectors
from rights import selectors as rights_selectors
from web.availability import describe
from web.viewer import Viewer


@dataclass
class Card:
    id: int
    slug: str
    title: str
    year: int | None
    runtime: int | None
    maturity: str
    url: str
    poster: str  # the smallest rendition ("" when the film has no poster)
    poster_srcset: str
    poster_width: int
    poster_height: int
    backdrop: str
    backdrop_srcset: str
    badge: str
    in_list: bool
    genres: list[str]
    tagline: str
    action_label: str = ""
    action_url: str = ""
    percent: int | None = None  # watched, on the continue-watching row


def _images(film, kind: str) -> list:
    return sorted((image for image in film.images.all() if image.kind == kind), key=lambda image: image.width)


def _srcset(images: list) -> str:
    return ", ".join(f"{image.image.url} {image.width}w" for image in images)


def cards_for(*, viewer: Viewer, film_ids: list[int], answers: dict[int, dict] | None = None) -> list[Card]:
    """Cards for `film_ids` in that order: films (4 queries), availability (2 queries and the entitlement
    provider's; none when `answers` already holds them), the profile's list (1 query)."""
    films = catalog_selectors.films_cards(film_ids=film_ids)
    if not films:
        return []
    ids = [film.pk for film in films]
    if answers is None or not set(ids) <= answers.keys():
        answers = rights_selectors.availability_bulk(
            film_ids=ids, territory=viewer.territory, at=viewer.at, user=viewer.user
        )
    saved = catalog_selectors.my_list_contains(profile_id=viewer.profile_id, film_ids=ids)
    cards = []
    for film in films:
        text = catalog_selectors.film_localized(film=film, language=viewer.language)
        posters, backdrops = _images(film, "poster"), _images(film, "backdrop")
        first = posters[0] if posters else None
        url = reverse("web:film", args=[film.slug])
        status = describe(
            answer=answers[film.pk],
            slug=film.slug,
            watch_url=reverse("playback:watch", args=[film.slug]),
            plan_name=None,
            signed_in=bool(getattr(viewer.user, "is_authenticated", False)),
        )
        action = status.actions[0] if status.actions else None
        cards.append(
            Card(
                id=film.pk,
                slug=film.slug,
                title=text["title"],
                tagline=text["tagline"],
                year=film.release_year,
                runtime=film.runtime_minutes,
                maturity=film.get_maturity_display(),
                url=url,
                action_label=action.label if action else (status.lines[0] if status.lines else ""),
                action_url=(action.url or url) if action else url,
                poster=first.image.url if first else "",
                poster_srcset=_srcset(posters),
                poster_width=first.width if first else 185,
                poster_height=first.height if first else 278,
                backdrop=backdrops[-1].image.url if backdrops else "",
                backdrop_srcset=_srcset(backdrops),
                badge=status.badge,
                in_list=film.pk in saved,
                genres=[catalog_selectors.genre_name(genre=g, language=viewer.language) for g in film.genres.all()],
            )
        )
    return cards
