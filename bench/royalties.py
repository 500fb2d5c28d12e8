"""Benchmark: closing a year of royalty statements for every payee of the seed_scale data, against reading the same
ledger lines once, in one run.

    DATABASE_URL=postgres://... .venv/bin/python bench/royalties.py [--scale 1.0]

Runs against the database DATABASE_URL names (local settings), seeding it first with `seed_scale --scale` if it
holds no scale data yet (idempotent). Inside one transaction that is rolled back at the end (so the bench can run
again on the same data):

1. watch time: each film's subscribers' seconds per month from the scale data's daily playback roll-ups are fed to
   billing (billing.services.watch_time_record), so that the months' SVOD pools are split by the close as in
   production (seed_scale writes roll-ups, not the watch time billing splits by);
2. baseline: the creator-account lines the close will allocate, read once (billing.selectors.creator_entries: the
   one query the allocation starts from) and summed per film and currency;
3. close: every month from the first sale to last month closed in order (royalties.services.statements_close_due:
   SVOD pool split, allocation, royalty postings, statements, hash chain).

Prints the lines allocated, the postings and statements made, and the time per 1,000 ledger lines of the close and
of the baseline read, with their ratio.
"""

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wans.settings.local")
os.environ.setdefault("LOG_LEVEL", "WARNING")


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()

    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Sum
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from billing import selectors as billing_selectors
    from billing import services as billing_services
    from royalties import selectors as royalties_selectors
    from royalties import services as royalties_services
    from royalties.models import Allocation, Statement, StatementRun

    call_command("seed_scale", scale=args.scale)
    if StatementRun.objects.exists():
        sys.exit("this database has closed royalty months already: the bench needs the scale data as seeded")
    daily = apps.get_model("playback", "PlaybackDaily")
    try:
        with transaction.atomic():
            began = time.perf_counter()
            watched = (daily.objects.annotate(month=TruncMonth("day")).values_list("film_id", "month")
                       .annotate(seconds=Sum("watched_seconds")).order_by())
            fed = 0
            for film_id, month, seconds in watched:
                billing_services.watch_time_record(film_id=film_id, period=month, seconds=int(seconds))
                fed += 1
            print(f"watch time: {fed:,} film-months fed in {time.perf_counter() - began:.1f} s", flush=True)
            until = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)

            began = time.perf_counter()
            lines = billing_selectors.creator_entries(until=until)
            pools = defaultdict(int)
            for line in lines:
                pools[(line["film_id"], line["currency"])] += line["amount_minor"]
            baseline = time.perf_counter() - began

            began = time.perf_counter()
            closed = royalties_services.statements_close_due(after_hours=0)
            close = time.perf_counter() - began
            allocated = sum(StatementRun.objects.values_list("sources", flat=True))
            lines_allocated = len(billing_selectors.creator_entries(until=until))  # pools split by the close too
            postings = sum(StatementRun.objects.values_list("postings", flat=True))
            statements = Statement.objects.count()
            payees = Statement.objects.values("payee").distinct().count()
            ok = royalties_selectors.chains_verify().ok
            print(f"database: {connection.vendor}, scale {args.scale}; months closed: {len(closed)} "
                  f"({closed[0] if closed else '-'} to {closed[-1] if closed else '-'})")
            print(f"ledger lines allocated: {lines_allocated:,} (from {allocated:,} transactions; {len(lines):,} "
                  f"before the pools' splits); {postings:,} royalty postings, {Allocation.objects.count():,} "
                  f"allocation rows, {statements:,} statements for {payees:,} payees; chains verify: {ok}")
            per_close = close / max(lines_allocated, 1) * 1000
            per_read = baseline / max(len(lines), 1) * 1000
            print(f"close        {close * 1000:9.1f} ms  {per_close * 1000:8.1f} ms per 1,000 ledger lines  "
                  f"ratio {per_close / per_read:6.1f}")
            print(f"baseline     {baseline * 1000:9.1f} ms  {per_read * 1000:8.1f} ms per 1,000 ledger lines  "
                  f"ratio    1.0  (reading the lines once)")
            raise _Rollback
    except _Rollback:
        pass


if __name__ == "__main__":
    main()
