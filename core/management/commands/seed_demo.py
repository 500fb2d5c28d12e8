from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Seed the demo data of every app (WANS_DEMO_SEEDERS, in order). Idempotent: running it twice changes nothing."
    )

    def handle(self, *args, **options):
        for dotted in settings.WANS_DEMO_SEEDERS:
            lines = import_string(dotted)() or []
            self.stdout.write(self.style.SUCCESS(f"seeded {dotted.rsplit('.', 2)[0]}"))
            for line in lines:
                self.stdout.write(f"  {line}")
