"""Demo media: short test-pattern clips made here and transcoded through the real pipeline (encrypted, as production
packages) for every demo film that waits for review or is published without media, so that every published demo
film plays (catalog.demo.publish approves them afterwards). Films that already have media are skipped (idempotent).

The first films get varied shapes (16:9 twice, a phone video held upright, 4:3); the others share one small 16:9
clip, which keeps the seeding time down (docs/transcoding.md has the measured time)."""

from pathlib import Path

from django.conf import settings

from catalog import selectors as catalog_selectors
from transcoding import samples, selectors, services
from transcoding.errors import TransientFailure

# (width, height, rotation): two 16:9, one phone video held upright, one 4:3; then the small clip for the rest.
CLIPS = [(1280, 720, 0), (960, 540, 0), (1280, 720, 90), (640, 480, 0)]
SMALL = (640, 360, 0)


def _films_waiting() -> list:
    films = {film.pk: film for film in catalog_selectors.films_in_state(status="in_review")}
    films.update({film.pk: film for film in catalog_selectors.films_published()})
    return [films[pk] for pk in sorted(films)]


def seed() -> list[str]:
    films = _films_waiting()
    if not films:
        return ["no films in review or published: nothing to transcode"]
    done = selectors.film_ids_with_media()
    folder = Path(settings.TRANSCODING_UPLOAD_ROOT) / "demo"
    lines = []
    for index, film in enumerate(films):
        if film.pk in done:
            continue
        shaped = index < len(CLIPS)
        width, height, rotation = CLIPS[index] if shaped else SMALL
        name = f"demo-{index}.mp4" if shaped else "demo-small.mp4"
        clip = folder / name
        if shaped or not clip.exists():  # one small clip serves every further film
            samples.make_clip(
                clip,
                width=width,
                height=height,
                rotation=rotation,
                seconds=settings.TRANSCODING_DEMO_SECONDS,
                frequency=330 + 110 * min(index, len(CLIPS)),
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
