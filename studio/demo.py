"""The demo creator's portal: creator@wans.demo gets a film in every status the portal shows (draft, processing, in
review, rejected with the reason, archived; the published ones come from catalog's seeder) and a teammate, so every
badge and the team page show something on a fresh `bin/run`. Runs after catalog.demo.publish and the figures seeder.

Honest rows only: the film in review and the archived one have a real transcoded master (a film is published only
with playable media, and a film sent for review has its master); the processing one has a queued job for a real
clip (a worker or the beat's sweep picks it up; it is a draft with media afterwards). The teammate is the demo
viewer, as an analyst (figures read-only). Running it again adds nothing."""

from pathlib import Path

from django.conf import settings

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.errors import TeamInviteInvalid
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from transcoding import services as transcoding_services

DRAFT, PROCESSING, IN_REVIEW = "Taim Bilong Rain", "Highlands Road", "Market Day"
REJECTED, ARCHIVED = "Smoke Over Lae", "Old Port Moresby"
REJECTION = "The sound drops out from 41:20 to 43:05: please upload a master with the full mix."
TEAMMATE = "viewer@wans.demo"


def _clip() -> Path:
    clip = Path(settings.TRANSCODING_UPLOAD_ROOT) / "demo" / "studio-demo.mp4"
    if not clip.exists():
        transcoding_services.demo_clip_make(
            clip, width=640, height=360, seconds=settings.TRANSCODING_DEMO_SECONDS, frequency=550
        )
    return clip


def _film(creator, title: str):
    data = {"title": title, "synopsis": f"{title}: a film the demo creator is working on.", "runtime_minutes": 84}
    return catalog_services.film_create(creator=creator, data=data)


def _transcoded(film, creator) -> None:
    job = transcoding_services.job_create(film=film, by=creator, source_path=str(_clip()), enqueue=False)
    transcoding_services.job_run(job_id=job.pk, worker="seed_demo")


def seed() -> list[str]:
    creator = account_selectors.user_by_email(email="creator@wans.demo")
    staff = account_selectors.user_by_email(email="admin@wans.demo")
    have = set(catalog_selectors.films_of_creator(user=creator).values_list("title", flat=True))
    made = []
    if DRAFT not in have:
        _film(creator, DRAFT)
        made.append("draft")
    if PROCESSING not in have:
        film = _film(creator, PROCESSING)
        transcoding_services.job_create(film=film, by=creator, source_path=str(_clip()), enqueue=False)
        made.append("processing")
    if IN_REVIEW not in have:
        film = _film(creator, IN_REVIEW)
        _transcoded(film, creator)
        catalog_services.film_submit(film=film, by=creator)
        made.append("in review")
    if REJECTED not in have:
        film = _film(creator, REJECTED)
        catalog_services.film_submit(film=film, by=creator)
        catalog_services.film_reject(film=film, by=staff, reason=REJECTION)
        made.append("rejected")
    if ARCHIVED not in have:
        film = _film(creator, ARCHIVED)
        _transcoded(film, creator)
        catalog_services.film_submit(film=film, by=creator)
        catalog_services.film_approve(film=film, by=staff, note="demo")
        catalog_services.film_archive(film=film, by=creator, note="demo: taken down by the creator")
        made.append("archived")
    try:
        account_services.team_invite(creator=creator, by=creator, email=TEAMMATE, role="analyst")
        made.append(f"teammate {TEAMMATE} (analyst)")
    except TeamInviteInvalid:
        pass  # on the team already
    return [f"studio: {', '.join(made)}" if made else "studio: every status and the teammate are there already"]
