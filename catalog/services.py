"""Writes for the catalog: films and their metadata, the review lifecycle, images, the search document."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from PIL import Image

from accounts import selectors as account_selectors
from catalog import images, search, selectors
from catalog.errors import (
    CreatorNotApproved,
    FilmNotEditable,
    FilmNotFound,
    FilmPermissionDenied,
    InvalidTransition,
    MediaNotReady,
    RejectionReasonRequired,
)
from catalog.media import media_provider
from catalog.models import (
    Credit,
    Film,
    FilmImage,
    FilmStatus,
    FilmTransition,
    FilmTranslation,
    Genre,
    MyListItem,
    Person,
    Tag,
)
from notifications import services as notifications

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.selectors import User

# The lifecycle: from -> the states it may go to.
TRANSITIONS: dict[str, set[str]] = {
    FilmStatus.DRAFT: {FilmStatus.IN_REVIEW},
    FilmStatus.IN_REVIEW: {FilmStatus.PUBLISHED, FilmStatus.DRAFT},
    FilmStatus.PUBLISHED: {FilmStatus.ARCHIVED},
    FilmStatus.ARCHIVED: {FilmStatus.PUBLISHED},
}
SIMPLE_FIELDS = {
    "title",
    "tagline",
    "synopsis",
    "runtime_minutes",
    "release_year",
    "maturity",
    "original_language",
    "featured",
}
LIST_FIELDS = {"audio_languages", "subtitle_languages", "production_countries"}


def _require_editor(*, film: Film, user: "User | AnonymousUser | None") -> None:
    if not selectors.film_editable_by(film=film, user=user):
        raise FilmPermissionDenied()


def _require_staff(*, user: "User | AnonymousUser | None") -> None:
    if not (user and user.is_authenticated and user.is_staff):
        raise FilmPermissionDenied(_("Only staff can do this."))


def _delimited(codes: Iterable[str]) -> str:
    unique = list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    return f",{','.join(unique)}," if unique else ""


def _unique_slug(model, base: str, *, exclude_pk: int | None = None, max_length: int = 200) -> str:
    base = (slugify(base) or "film")[:max_length]
    slug, n = base, 1
    existing = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while existing.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def person_get_or_create(*, name: str) -> Person:
    person = Person.objects.filter(name__iexact=name.strip()).first()
    if person is None:
        person = Person.objects.create(name=name.strip(), slug=_unique_slug(Person, name))
    return person


def tag_get_or_create(*, name: str) -> Tag:
    tag = Tag.objects.filter(name__iexact=name.strip()).first()
    return tag or Tag.objects.create(name=name.strip()[:40], slug=_unique_slug(Tag, name, max_length=40))


def _set_relations(*, film: Film, data: dict[str, Any]) -> None:
    if "genres" in data:
        film.genres.set(data["genres"])
    if "tags" in data:
        film.tags.set([tag_get_or_create(name=name) for name in data["tags"]])
    if "credits" in data:
        film.credits.all().delete()
        for order, credit in enumerate(data["credits"]):
            Credit.objects.create(
                film=film,
                person=person_get_or_create(name=credit["name"]),
                role=credit["role"],
                character=credit.get("character", ""),
                order=order,
            )
    if "translations" in data:
        film.translations.all().delete()
        FilmTranslation.objects.bulk_create(
            FilmTranslation(film=film, **translation) for translation in data["translations"]
        )


def film_create(*, creator, data: dict[str, Any]) -> Film:
    """A new draft owned by `creator`. `data` is validated input: simple fields, lists of codes, genres (objects),
    tags (names), credits ({name, role, character}), translations ({language, title, tagline, synopsis})."""
    with transaction.atomic():
        film = Film(creator=creator, status=FilmStatus.DRAFT)
        for field in SIMPLE_FIELDS & data.keys():
            setattr(film, field, data[field])
        for field in LIST_FIELDS & data.keys():
            setattr(film, field, _delimited(data[field]))
        film.slug = _unique_slug(Film, data.get("slug") or data["title"])
        film.save()
        _set_relations(film=film, data=data)
        film_search_reindex(film=film)
    return film


def film_update(*, film: Film, by: "User", data: dict[str, Any]) -> Film:
    _require_editor(film=film, user=by)
    with transaction.atomic():
        for field in SIMPLE_FIELDS & data.keys():
            if field == "featured" and not by.is_staff:
                continue  # featuring is an editorial decision
            setattr(film, field, data[field])
        for field in LIST_FIELDS & data.keys():
            setattr(film, field, _delimited(data[field]))
        if "slug" in data:
            film.slug = _unique_slug(Film, data["slug"], exclude_pk=film.pk)
        film.save()
        _set_relations(film=film, data=data)
        film_search_reindex(film=film)
    return film


def film_delete(*, film: Film, by: "User") -> Film | None:
    """Delete a draft (its creator or staff). A published film is archived instead (staff), so history stays."""
    _require_editor(film=film, user=by)
    if film.status == FilmStatus.PUBLISHED and by.is_staff:
        return _transition(film=film, to=FilmStatus.ARCHIVED, by=by, note="archived instead of deleted")
    if film.status == FilmStatus.DRAFT or by.is_staff:
        film.delete()
        return None
    raise FilmNotEditable()


# A status inside a sentence ("A film that is draft cannot become archived."), in the reader's language
STATUS_WORDS = {
    FilmStatus.DRAFT: pgettext_lazy("film status in a sentence", "draft"),
    FilmStatus.IN_REVIEW: pgettext_lazy("film status in a sentence", "in review"),
    FilmStatus.PUBLISHED: pgettext_lazy("film status in a sentence", "published"),
    FilmStatus.ARCHIVED: pgettext_lazy("film status in a sentence", "archived"),
}


def _transition(*, film: Film, to: str, by: "User", note: str = "") -> Film:
    """Move `film` to `to` if the lifecycle allows it, and record who, when and why. Locks the film row. Every path
    to published (approve, unarchive) needs playable media (catalog.media): a viewer never meets a film that cannot
    play."""
    with transaction.atomic():
        locked = Film.objects.select_for_update().get(pk=film.pk)
        if to not in TRANSITIONS.get(locked.status, set()):
            raise InvalidTransition(
                format_lazy(_("A film that is {current} cannot become {wanted}."),
                            current=STATUS_WORDS[locked.status], wanted=STATUS_WORDS[to]),
                extra={"from": locked.status, "to": to},
            )
        if to == FilmStatus.PUBLISHED and not media_provider().film_has_playable_media(film_id=locked.pk):
            raise MediaNotReady(extra={"film_id": locked.pk})
        FilmTransition.objects.create(film=locked, from_status=locked.status, to_status=to, by=by, note=note)
        locked.status = to
        if to == FilmStatus.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
    film.status, film.published_at = locked.status, locked.published_at
    return film


def film_submit(*, film: Film, by: "User", note: str = "") -> Film:
    """Send a draft for review. A creator whose application staff have not approved yet (accounts/creators.py) may
    prepare films but not send them."""
    _require_editor(film=film, user=by)
    if not account_selectors.creator_can_submit(user=by):
        raise CreatorNotApproved()
    return _transition(film=film, to=FilmStatus.IN_REVIEW, by=by, note=note)


def film_approve(*, film: Film, by: "User", note: str = "") -> Film:
    """Publish a film in review. Its creator hears of it, and on its first publication so do the creator's
    followers (issue 15), in the same transaction."""
    _require_staff(user=by)
    with transaction.atomic():
        first = not Film.objects.filter(pk=film.pk, published_at__isnull=False).exists()
        film = _transition(film=film, to=FilmStatus.PUBLISHED, by=by, note=note)
        context = {"film_title": film.title, "film_id": film.pk, "film_slug": film.slug}
        notifications.notify(event="film_approved", user=film.creator, context=context, key=str(film.pk))
        if first:
            profile = account_selectors.creator_profile_for(user=film.creator)
            notifications.followers_notify(
                creator_id=film.creator_id, event="followed_creator_film", key=str(film.pk),
                context={**context, "creator_name": profile.display_name if profile else film.creator.display_name},
            )
    return film


def film_reject(*, film: Film, by: "User", reason: str) -> Film:
    """Send a film in review back to draft with the reason, which its creator is told."""
    _require_staff(user=by)
    if not reason.strip():
        raise RejectionReasonRequired(fields={"reason": [RejectionReasonRequired.message]})
    with transaction.atomic():
        film = _transition(film=film, to=FilmStatus.DRAFT, by=by, note=reason.strip())
        rejections = FilmTransition.objects.filter(film=film, to_status=FilmStatus.DRAFT).count()
        notifications.notify(event="film_rejected", user=film.creator, key=f"{film.pk}:{rejections}",
                             context={"film_title": film.title, "film_id": film.pk, "reason": reason.strip()})
    return film


def film_archive(*, film: Film, by: "User", note: str = "") -> Film:
    _require_editor(film=film, user=by)
    return _transition(film=film, to=FilmStatus.ARCHIVED, by=by, note=note)


def film_unarchive(*, film: Film, by: "User", note: str = "") -> Film:
    _require_staff(user=by)
    return _transition(film=film, to=FilmStatus.PUBLISHED, by=by, note=note)


def film_image_set(*, film: Film, by: "User", kind: str, upload: UploadedFile) -> Film:
    """Store the original poster or backdrop and its resized renditions (replacing the previous ones)."""
    _require_editor(film=film, user=by)
    with Image.open(upload) as source:
        source.load()
        made = images.renditions(kind, source, prefix=film.slug[:80])
    upload.seek(0)
    with transaction.atomic():
        for old in FilmImage.objects.filter(film=film, kind=kind):
            old.image.delete(save=False)
            old.delete()
        getattr(film, kind).save(upload.name, upload, save=False)
        film.save(update_fields=[kind, "updated_at"])
        for width, height, content in made:
            FilmImage.objects.create(film=film, kind=kind, width=width, height=height, image=content)
    return film


def film_search_reindex(*, film: Film) -> None:
    """Rebuild the film's search document; on Postgres also its weighted tsvector (title A, people and
    translations B, synopsis and tags C)."""
    people = " ".join(f"{c.person.name} {c.character}".strip() for c in film.credits.select_related("person"))
    translations = " ".join(f"{t.title} {t.tagline}" for t in film.translations.all())
    translated_synopses = " ".join(t.synopsis for t in film.translations.all())
    tags = " ".join(film.tags.values_list("name", flat=True))
    text = " ".join(part for part in (film.title, people, translations, film.synopsis, tags) if part)
    Film.objects.filter(pk=film.pk).update(search_text=text)
    search.vocabulary_forget()  # the typo corrector learns the new words
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector
        from django.db.models import Value

        Film.objects.filter(pk=film.pk).update(
            search_vector=SearchVector(Value(film.title), weight="A", config="simple")
            + SearchVector(Value(f"{people} {translations}"), weight="B", config="simple")
            + SearchVector(Value(f"{film.synopsis} {translated_synopses} {tags}"), weight="C", config="simple")
        )


def genre_get_or_create(*, name: str, name_tpi: str = "") -> Genre:
    genre, _ = Genre.objects.get_or_create(slug=slugify(name), defaults={"name": name, "name_tpi": name_tpi})
    return genre


# --- My List (a profile's saved films) --------------------------------------------------------------------------


def my_list_add(*, profile, film_id: int) -> bool:
    """Save a published film to the profile's list. Idempotent: True if it was added now, False if already there.
    The caller has checked that the viewer may see the film (territory, maturity)."""
    if not Film.objects.filter(pk=film_id, status=FilmStatus.PUBLISHED).exists():
        raise FilmNotFound()
    _, created = MyListItem.objects.get_or_create(profile=profile, film_id=film_id)
    return created


def my_list_remove(*, profile, film_id: int) -> bool:
    """Take a film off the profile's list. True if it was there."""
    deleted, _ = MyListItem.objects.filter(profile=profile, film_id=film_id).delete()
    return bool(deleted)


def films_popularity_set(*, plays: dict[int, int]) -> int:
    """Set each film's popularity (plays in the last 30 days, counted by playback); films not named go to 0.
    Returns how many films changed."""
    changed = Film.objects.exclude(pk__in=list(plays)).exclude(popularity=0).update(popularity=0)
    for film_id, count in plays.items():
        changed += Film.objects.filter(pk=film_id).exclude(popularity=count).update(popularity=count)
    return changed
