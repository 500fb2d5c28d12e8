"""Benchmark: the admin console's overview (the admin index) against an empty admin page, on seed_scale data.

    DATABASE_URL=postgres://... .venv/bin/python bench/admin.py [--runs 15] [--scale 1.0]

Runs against the database DATABASE_URL names (local settings), seeding it first with `seed_scale --scale` if it
holds no scale data yet (idempotent). A bench super admin is made once. Each request goes through the whole Django
stack in-process (test Client: middleware, session, permissions, template). Prints the median server time of:

1. overview, cold   the index with the overview's cache cleared before each request (every aggregate computed)
2. overview, warm   the index with the cached aggregates (what staff get within a minute of each other)
3. empty page       the admin's "auth" app index: the same site chrome and permission checks, no figures

and the ratios overview / empty page, with each page's query count.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wans.settings.local")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # the request log would bury the figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts import selectors as accounts_selectors
    from accounts import services as accounts_services
    from accounts.roles import Role

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("seed_scale", scale=args.scale)
    email = "bench-admin@wans.test"
    user = accounts_selectors.user_by_email(email=email)
    if user is None:
        user = accounts_services.user_create(email=email, password=None, display_name="Bench")
        accounts_services.user_set_role(user=user, role=Role.SUPER_ADMIN)
    client = Client()
    client.force_login(user)

    def timed(path: str, *, clear: bool) -> tuple[float, int]:
        times, count = [], 0
        for _ in range(args.runs):
            if clear:
                cache.delete("console:overview")
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - began)
            assert response.status_code == 200, (path, response.status_code)
            count = len(queries)
        return statistics.median(times), count

    timed("/admin/", clear=False)  # warm up: templates, imports, connections
    cold, cold_q = timed("/admin/", clear=True)
    warm, warm_q = timed("/admin/", clear=False)
    empty, empty_q = timed("/admin/auth/", clear=False)
    users = accounts_selectors.users_joined_counts(now=timezone.now())["total"]
    print(f"database: {connection.vendor}, {users:,} users; median of {args.runs} requests each")
    print(f"overview, cold   {cold * 1000:8.1f} ms  {cold_q:3d} queries  ratio {cold / empty:5.2f}")
    print(f"overview, warm   {warm * 1000:8.1f} ms  {warm_q:3d} queries  ratio {warm / empty:5.2f}")
    print(f"empty page       {empty * 1000:8.1f} ms  {empty_q:3d} queries  ratio  1.00")


if __name__ == "__main__":
    main()
