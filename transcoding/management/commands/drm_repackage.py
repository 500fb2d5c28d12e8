"""Re-package films' encrypted media with a new generation of keys, without re-encoding (transcoding/rotation.py):
a key rotation now, or the move of media packaged under the old one-key layout to keys per quality class.

    python manage.py drm_repackage --film ID     # rotate this film's keys now
    python manage.py drm_repackage --due         # what the daily beat task does: films due, then purge"""

from django.core.management.base import BaseCommand, CommandError

from transcoding import rotation
from transcoding.errors import PackagingUnavailable


class Command(BaseCommand):
    help = "Rotate films' content keys: re-encrypt their media with new keys (no re-encode)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--film", type=int, help="Rotate this film now.")
        group.add_argument("--due", action="store_true", help="Films due (old keys or old layout), then purge.")

    def handle(self, *args, **options):
        if options["due"]:
            done = rotation.keys_rotate_due()
            self.stdout.write(f"rotated {done['rotated']}, failed {done['failed']}, purged {done['purged']} keys")
            if done["failed"]:
                raise CommandError(f"films {done['failed']} could not be re-packaged (see the log)")
            return
        try:
            jobs = rotation.film_keys_rotate(film_id=options["film"])
        except PackagingUnavailable as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"film {options['film']}: {len(jobs)} job(s) re-packaged with new keys")
