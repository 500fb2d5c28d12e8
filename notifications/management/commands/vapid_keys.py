"""Make a VAPID key pair for web push, printed as the environment variables the settings read:

    python manage.py vapid_keys [--subject mailto:ops@example.com]
    python manage.py vapid_keys --check     # is web push on with the keys set now? (exit 1 if not)

The private key is a secret: put it where the deployment keeps secrets. Changing the pair later strands every
browser subscribed with the old public key (their push service refuses our token); they subscribe again on their
next visit to the account page."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from notifications.channels.push import vapid_keys_generate, vapid_problem, vapid_public_key


class Command(BaseCommand):
    help = "Make a VAPID key pair for web push (NOTIFICATIONS_VAPID_*), or --check the one set."

    def add_arguments(self, parser):
        parser.add_argument("--subject", default="", help="mailto: or https: contact sent to push services.")
        parser.add_argument("--check", action="store_true", help="Check the keys in the settings instead.")

    def handle(self, *args, **options):
        if options["check"]:
            problem = vapid_problem()
            if problem:
                raise CommandError(f"web push is off: {problem}")
            self.stdout.write(f"web push is on; applicationServerKey {vapid_public_key()}")
            return
        subject = options["subject"] or settings.NOTIFICATIONS_VAPID_SUBJECT
        if not subject.startswith(("mailto:", "https://")):
            raise CommandError("--subject must be a mailto: or https: URL")
        private, public = vapid_keys_generate()
        self.stdout.write(f"NOTIFICATIONS_VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"NOTIFICATIONS_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"NOTIFICATIONS_VAPID_SUBJECT={subject}")
