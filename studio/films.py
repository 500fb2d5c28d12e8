"""How the portal describes a creator's films: the status a person sees (processing and rejected are read from the
transcoding job and the last review), counts per status, the list's filters. Reads only, through the apps'
selectors, in a fixed number of queries whatever the number of films."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from catalog import selectors as catalog_selectors
from studio.access import Seat
from transcoding import selectors as transcoding_selectors

STATUS_LABELS = {
    "draft": _("Draft"),
    "processing": _("Processing"),
    "in_review": _("In review"),
    "rejected": _("Rejected"),
    "published": _("Published"),
    "archived": _("Archived"),
}
ACTIVE_JOB_STATES = {"queued", "probing", "transcoding", "packaging", "uploading"}


@dataclass(frozen=True)
class FilmRow:
    film: object
    status: str  # a key of STATUS_LABELS
    reason: str  # why staff sent it back (status "rejected")
    job: object | None  # the newest transcoding job of the feature, if any

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _status(film, job, rejections: dict[int, str]) -> str:
    if film.status == "draft":
        if job is not None and job.state in ACTIVE_JOB_STATES:
            return "processing"
        if film.pk in rejections:
            return "rejected"
    return film.status


def film_rows(*, seat: Seat, status: str = "", q: str = "") -> list[FilmRow]:
    """The seat's creator's films, newest change first, narrowed to one status and a title search."""
    films = list(catalog_selectors.films_of_creator(user=seat.creator))
    ids = [film.pk for film in films]
    jobs = transcoding_selectors.jobs_latest_for_films(film_ids=ids)
    rejections = catalog_selectors.film_rejections(film_ids=ids)
    rows = [
        FilmRow(film=film, status=_status(film, jobs.get(film.pk), rejections), reason=rejections.get(film.pk, ""),
                job=jobs.get(film.pk))
        for film in films
    ]
    if status:
        rows = [row for row in rows if row.status == status]
    if q:
        words = q.casefold().split()
        rows = [row for row in rows if all(word in row.film.title.casefold() for word in words)]
    return rows


def film_row(*, seat: Seat, film) -> FilmRow:
    jobs = transcoding_selectors.jobs_latest_for_films(film_ids=[film.pk])
    rejections = catalog_selectors.film_rejections(film_ids=[film.pk])
    return FilmRow(film=film, status=_status(film, jobs.get(film.pk), rejections),
                   reason=rejections.get(film.pk, ""), job=jobs.get(film.pk))


def film_counts(*, seat: Seat) -> list[tuple[str, str, int]]:
    rows = film_rows(seat=seat)
    return [(key, label, sum(1 for row in rows if row.status == key)) for key, label in STATUS_LABELS.items()]
