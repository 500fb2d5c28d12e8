"""Recompute every payee's statement hash chain: prints OK, or the first break of each broken chain (payee,
statement, expected against stored), and exits with status 1 on a break (a cron or CI step fails)."""

from django.core.management.base import BaseCommand, CommandError

from royalties import selectors


class Command(BaseCommand):
    help = "Verify the royalty statements' hash chains (exit status 1 on a break)."

    def add_arguments(self, parser):
        parser.add_argument("--payee", type=int, help="Only this payee's chain.")

    def handle(self, *args, payee=None, **options):
        report = selectors.chains_verify(payee_id=payee)
        if report.ok:
            self.stdout.write(f"OK: {report.statements} statements in {report.payees} chains verify.")
            return
        for found in report.breaks:
            self.stderr.write(f"BREAK: {found.describe()}")
        raise CommandError(
            f"{len(report.breaks)} of {report.payees} chains broken ({report.statements} statements read); "
            f"first: {report.first_break.describe()}", returncode=1,
        )
