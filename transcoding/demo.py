"""Demo media: short test-pattern clips made here, transcoded through the real pipeline, for the first published
films, so that the demo films actually play. Films that already have media are skipped (idempotent)."""

from pathlib import Path

from django.conf import settings

from catalog import selectors as catalog_selectors
from transcoding import samples, selectors, services
from transcoding.errors import TransientFailure

# (width, height, rotation): two 16:9, one phone video held upright, one 4:3.
CLIPS = [(1280, 720, 0), (960, 540, 0), (1280, 720, 90), (640, 480, 0)]


def seed() -> list[str]:
    films = list(catalog_selectors.films_published().order_by("id")[: len(CLIPS)])
    if not films:
        return ["no published films: nothing to transcode"]
    done = selectors.film_ids_with_media()
    folder = Path(settings.TRANSCODING_UPLOAD_ROOT) / "demo"
    lines = []
    for index, (film, (width, height, rotation)) in enumerate(zip(films, CLIPS, strict=False)):
        if film.pk in done:
            continue
        clip = samples.make_clip(
            folder / f"demo-{index}.mp4",
            width=width,
            height=height,
            rotation=rotation,
            seconds=settings.TRANSCODING_DEMO_SECONDS,
            frequency=330 + 110 * index,
        )
        job = services.job_create(film=film, by=film.creator, source_path=str(clip), enqueue=False)
        try:
            job = services.job_run(job_id=job.pk, worker="seed_demo")
        except TransientFailure as failure:
            services.job_transient_failure(job_id=job.pk, reason=str(failure), enqueue=False)
            lines.append(f"{film.title}: not transcoded ({failure}); run seed_demo again")
            continue
        lines.append(
            f"{film.title}: {job.state} ({job.renditions.count()} renditions, {job.realtime_factor}x realtime)"
        )
    return lines or [f"{len(films)} films already have media"]
