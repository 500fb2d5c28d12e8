"""Verify every film's stored media against its keys (transcoding/integrity.py). Exit status 1 when anything is
wrong, naming the film and the rendition, so that it can run from cron or CI after a restore.

    python manage.py drm_check [--film ID]"""

from django.core.management.base import BaseCommand, CommandError

from transcoding import integrity


class Command(BaseCommand):
    help = "Check that each film's stored segments decrypt with its keys and name the key ids packaging recorded."

    def add_arguments(self, parser):
        parser.add_argument("--film", type=int, help="Only this film.")

    def handle(self, *args, **options):
        checked, problems = integrity.media_check(film_id=options["film"])
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {checked} rendition(s) checked")
        self.stdout.write(f"ok: {checked} rendition(s) match their keys")
