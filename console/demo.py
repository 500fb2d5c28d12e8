"""The console's demo: something in each pending list, so admin@wans.demo sees the console at work. A film waiting
for review, a transcoding job that really failed (a master that is not a video, rejected by the probe), and a bank
transfer waiting to be reconciled. Each goes through the owning app's services; a second run adds nothing."""

from pathlib import Path

from django.conf import settings

from accounts import selectors as accounts_selectors
from billing import selectors as billing_selectors
from billing import services as billing_services
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from transcoding import selectors as transcoding_selectors
from transcoding import services as transcoding_services

REVIEW_TITLE = "Kundu Nights"
BROKEN_TITLE = "Tidal Songs"


def _film(*, creator, title: str, submit: bool):
    film = catalog_selectors.films_of_creator(user=creator).filter(title=title).first()
    if film is None:
        film = catalog_services.film_create(creator=creator, data={
            "title": title, "tagline": "Waiting for staff.", "runtime_minutes": 12, "release_year": 2026,
            "synopsis": f"{title}: a short film from Madang, submitted for review.", "original_language": "en",
        })
        if submit:
            catalog_services.film_submit(film=film, by=creator)
    return film


def seed() -> list[str]:
    creator = accounts_selectors.user_by_email(email="creator@wans.demo")
    viewer = accounts_selectors.user_by_email(email="viewer@wans.demo")
    if creator is None or viewer is None:
        return ["no demo accounts: nothing to add"]
    lines = []
    film = _film(creator=creator, title=REVIEW_TITLE, submit=True)
    lines.append(f"film to review: {film.title} ({film.status})")
    broken = _film(creator=creator, title=BROKEN_TITLE, submit=False)
    if not transcoding_selectors.jobs_visible_to(user=creator).filter(film=broken).exists():
        master = Path(settings.TRANSCODING_UPLOAD_ROOT) / "demo" / "not-a-video.mov"
        master.parent.mkdir(parents=True, exist_ok=True)
        master.write_bytes(b"this is a text file named like a video\n" * 100)
        job = transcoding_services.job_create(film=broken, by=creator, source_path=str(master),
                                              size=master.stat().st_size, enqueue=False)
        transcoding_services.job_run(job_id=job.pk, worker="demo")
    job = transcoding_selectors.jobs_visible_to(user=creator).filter(film=broken).first()
    lines.append(f"failed job: {job} for {broken.title}")
    if not billing_selectors.bank_transfers_to_reconcile().filter(user=viewer).exists():
        billing_services.checkout_subscription_start(user=viewer, plan_code="basic", provider="bank", territory="PG")
    transfer = billing_selectors.bank_transfers_to_reconcile().filter(user=viewer).first()
    lines.append(f"bank transfer to reconcile: {transfer.reference} ({transfer.currency} "
                 f"{transfer.amount_minor / 100:,.2f})")
    return lines
