import os
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts import selectors as account_selectors
from catalog import selectors as catalog_selectors
from transcoding import selectors, services
from transcoding.errors import TransientFailure


def _run_with_retries(job_id: int) -> None:
    """The Celery task's policy, in this process: transient failures retry with backoff until attempts run out."""
    try:
        while True:
            try:
                services.job_run(job_id=job_id, worker=f"cli:{os.getpid()}")
                return
            except TransientFailure as failure:
                if not services.job_transient_failure(job_id=job_id, reason=str(failure), enqueue=False):
                    return
                time.sleep(min(60, 2 ** selectors.job_attempts(job_id=job_id)))
    finally:
        connection.close()  # this thread's own connection


class Command(BaseCommand):
    help = "Transcode a master file for a film through the same pipeline as the API, showing a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--film", type=int, required=True)
        parser.add_argument("--kind", choices=["feature", "trailer"], default="feature")
        parser.add_argument("--as-user", default="", help="email of the staff or owner account to act as")

    def handle(self, path, film, kind, as_user, **options):
        source = os.path.abspath(path)
        if not os.path.isfile(source):
            raise CommandError(f"No file at {source}.")
        film_obj = catalog_selectors.film_get(film_id=film)
        if film_obj is None:
            raise CommandError(f"No film {film}.")
        user = account_selectors.user_by_email(email=as_user) if as_user else film_obj.creator
        if user is None:
            raise CommandError(f"No account {as_user}.")
        job = services.job_create(film=film_obj, by=user, source_path=source, kind=kind, enqueue=False)
        threads = settings.TRANSCODING_THREADS
        self.stdout.write(f"Job {job.pk}: {source} -> film {film_obj.pk} ({kind}), ffmpeg -threads {threads}")
        worker = threading.Thread(target=_run_with_retries, args=[job.pk], daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                self._bar(selectors.job_get(job_id=job.pk))
                worker.join(timeout=0.5)
        except KeyboardInterrupt:
            # The pipeline sees the cancel at its next progress poll, stops ffmpeg and removes partial outputs.
            services.job_cancel(job=selectors.job_get(job_id=job.pk), by=user)
            worker.join(timeout=30)
        job = selectors.job_get(job_id=job.pk)
        self._bar(job)
        self.stdout.write("")
        if job.state != "completed":
            raise CommandError(f"Job {job.pk} {job.state}: {job.error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Job {job.pk} completed: {job.renditions.count()} renditions at {job.output_prefix}, "
                f"{job.realtime_factor}x realtime"
            )
        )

    def _bar(self, job) -> None:
        filled = int(job.progress / 100 * 40)
        eta = f" eta {job.eta_seconds}s" if job.eta_seconds else ""
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (40 - filled)}] {job.progress:5.1f}% {job.state:<12}{eta}   ", ending=""
        )
        self.stdout.flush()
