"""The poster frame the pipeline picks (thumbnails.choose_poster: never a black frame) offered as the film's poster:
set when a feature finishes and the film has none; chosen again over the API (`POST /api/jobs/<id>/poster`, the
pick or any of the stills). Catalog stores it with its renditions (catalog.services.film_image_set)."""

import logging
from pathlib import PurePosixPath

from django.core.files import File
from django.core.files.storage import storages

from catalog import services as catalog_services
from transcoding.errors import TranscodingInvalid
from transcoding.models import Job, JobState

log = logging.getLogger(__name__)


def _still_name(job: Job, thumbnail: int | None) -> str:
    made = (job.probe or {}).get("thumbnails") or {}
    if thumbnail is None:
        return f"{job.output_prefix}/{made.get('poster', 'poster.jpg')}"
    count = int(made.get("thumbnails") or 0)
    if not 1 <= thumbnail <= count:
        raise TranscodingInvalid(
            f"There are {count} stills: choose 1 to {count}.", fields={"thumbnail": [f"From 1 to {count}."]}
        )
    return f"{job.output_prefix}/thumbs/thumb_{thumbnail:03d}.jpg"


def job_poster_use(*, job: Job, by, thumbnail: int | None = None):
    """Make the job's poster pick (or still number `thumbnail`, 1-based) the film's poster. The caller may manage
    the film (catalog checks it again). Returns the film."""
    if job.state != JobState.COMPLETED:
        raise TranscodingInvalid("Only a completed job has stills to choose from.", fields={"job": ["Not completed."]})
    name = _still_name(job, thumbnail)
    with storages["protected"].open(name, "rb") as handle:
        upload = File(handle, name=f"{job.film.slug[:60] or 'film'}-{PurePosixPath(name).stem}.jpg")
        return catalog_services.film_image_set(film=job.film, by=by, kind="poster", upload=upload)


def poster_offer_after_encode(*, job: Job) -> None:
    """After a feature completes: a film with no poster gets the pipeline's pick. Never fails the job."""
    film = job.film
    if job.kind != "feature" or film.poster:
        return
    try:
        job_poster_use(job=job, by=film.creator)
    except Exception:  # a poster is a nicety: the encoded film stands without it
        log.exception("poster from job %s not set on film %s", job.pk, film.pk)
