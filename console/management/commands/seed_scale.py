from django.core.management.base import BaseCommand, CommandError

from console.scale import seed_scale


class Command(BaseCommand):
    help = (
        "Fill the database with the seed's figures (45,892 users, 1,284 films, 12,458 live subscriptions, a year of "
        "payments, 156,200 playback sessions, transcoding jobs in every state) times --scale. Deterministic by "
        "--seed, bulk-inserted in one transaction, idempotent (a second run writes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale: float, seed: int, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10")
        report = seed_scale(scale=scale, seed=seed, log=lambda line: self.stdout.write(f"  {line}"))
        for line in report.lines():
            self.stdout.write(line)
