"""Benchmark: the creator dashboard's server time against an empty view's, on one server, in one run.

    .venv/bin/python bench/studio.py [--films 200] [--events 1000000] [--sales 1000] [--requests 30]

Builds a creator with `--films` published films and a year of daily roll-ups worth about `--events` raw playback
events (a start, a stop and a heartbeat every PLAYBACK_HEARTBEAT_SECONDS of each session, sessions of 1 to 90
minutes spread over the films by popularity), written as the nightly roll-up writes them (PlaybackDaily,
PlaybackViewerDaily, PlaybackRetentionDaily), plus `--sales` sales in the ledger through billing's services. Then,
signed in as that creator, through Django's whole request handler and middleware:

1. empty       a view that returns an empty page behind login_required (the session and the user: the floor of any
               studio page);
2. dashboard   /studio/dashboard/ for the last 30 days, 90 days and 365 days;
3. analytics   the most-watched film's analytics over 365 days.

Prints the median server time of each (after warm-up) and its ratio to the empty view's, and the queries each runs.
Runs against a throw-away test database (the test settings; Postgres when DATABASE_URL is set)."""

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wans.settings.test")

urlpatterns = []  # filled in main(): the site's URLs plus the empty view (this module is the ROOT_URLCONF)


def _empty(request):
    from django.http import HttpResponse

    return HttpResponse("")


def _rollups(*, film_ids: list[int], events: int, first, heartbeat: int, rng: random.Random):
    territories = ["PG"] * 70 + ["AU"] * 12 + ["FJ"] * 7 + ["SB"] * 6 + ["NZ"] * 5
    devices = ["mobile"] * 62 + ["desktop"] * 18 + ["tv"] * 12 + ["tablet"] * 8
    weights = [1 / (1 + rank) for rank in range(len(film_ids))]
    cells, viewers, minutes = Counter(), {}, Counter()
    made = sessions = 0
    while made < events:
        film = rng.choices(film_ids, weights)[0]
        day = first + timedelta(days=rng.randrange(365))
        watched = rng.randint(60, 90 * 60)
        territory, device = rng.choice(territories), rng.choice(devices)
        made += 2 + watched // heartbeat
        sessions += 1
        key = (day, film, territory, device)
        cells[key + ("starts",)] += 1
        cells[key + ("watched",)] += watched
        cells[key + ("rebuffer",)] += watched * 0.01
        cells[key + ("bitrate",)] += watched * 2_000_000
        viewer = (day, film, 10_000_000 + rng.randrange(50_000))
        row = viewers.setdefault(viewer, {"sessions": 0, "completed": 0, "watched_seconds": 0.0, "svod_seconds": 0.0})
        row["sessions"] += 1
        row["completed"] += int(watched > 80 * 60)
        row["watched_seconds"] += watched
        row["svod_seconds"] += watched * (rng.random() < 0.35)
        for minute in range(watched // 60 + 1):
            minutes[(day, film, minute)] += 1
    daily = [
        {"day": d, "film_id": f, "territory": t, "device_kind": k, "starts": cells[(d, f, t, k, "starts")],
         "watched_seconds": cells[(d, f, t, k, "watched")], "rebuffer_seconds": cells[(d, f, t, k, "rebuffer")],
         "bitrate_seconds": cells[(d, f, t, k, "bitrate")]}
        for (d, f, t, k, name) in cells if name == "starts"
    ]
    viewer_rows = [{"day": d, "film_id": f, "user_id": u, **row} for (d, f, u), row in viewers.items()]
    retention = [{"day": d, "film_id": f, "minute": m, "sessions": n} for (d, f, m), n in minutes.items()]
    return daily, viewer_rows, retention, sessions, made


def _median_ms(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times) * 1000, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--films", type=int, default=200)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import include, path
    from django.utils import timezone

    global urlpatterns
    urlpatterns = [path("bench-empty/", _empty), path("", include("wans.urls"))]

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    overrides = override_settings(ROOT_URLCONF=__name__, DEBUG=False)
    overrides.enable()
    try:
        from django.contrib.auth.decorators import login_required

        from accounts import services as account_services
        from accounts.roles import Role
        from billing.services import figures as billing_figures
        from catalog import services as catalog_services
        from playback import services as playback_services

        globals()["_empty"] = login_required(_empty)
        urlpatterns[0] = path("bench-empty/", globals()["_empty"])
        rng = random.Random(13)
        started = time.monotonic()
        with transaction.atomic():
            user = account_services.user_create(email="bench-creator@example.com", password="correct-horse-battery-9")
            account_services.user_set_role(user=user, role=Role.CREATOR)
            film_ids = [
                catalog_services.film_create(creator=user, data={"title": f"Bench film {n}", "runtime_minutes": 90}).pk
                for n in range(args.films)
            ]
            today = timezone.now().date()
            daily, viewers, retention, sessions, events = _rollups(
                film_ids=film_ids, events=args.events, first=today - timedelta(days=365),
                heartbeat=settings.PLAYBACK_HEARTBEAT_SECONDS, rng=rng,
            )
            playback_services.rollups_load(daily=daily, viewers=viewers, retention=retention)
            now = timezone.now()
            for n in range(args.sales):
                film = rng.choice(film_ids)
                billing_figures.ledger_sale_record(
                    key=f"bench:{n}", creator_id=user.pk, film_id=film, model=rng.choice(["tvod", "pvod"]),
                    currency=rng.choice(["PGK", "PGK", "USD"]), gross_minor=1500, fee_minor=38,
                    occurred_at=now - timedelta(days=1 + rng.randrange(364), hours=rng.randrange(24)),
                )
        print(
            f"built in {time.monotonic() - started:.0f} s: {args.films} films, {sessions} sessions ({events} events' "
            f"worth) -> {len(daily)} daily, {len(viewers)} viewer and {len(retention)} retention roll-up rows; "
            f"{args.sales} sales",
            flush=True,
        )
        client = Client()
        client.force_login(user)
        top = Counter()
        for row in daily:
            top[row["film_id"]] += row["watched_seconds"]
        best = top.most_common(1)[0][0]
        baseline, base_queries = _median_ms(client, "/bench-empty/", args.requests)
        print(f"{'empty view':28} {baseline:8.1f} ms  {base_queries:3d} queries  ratio 1.0")
        for label, url in (
            ("dashboard, 30 days", "/studio/dashboard/?period=30"),
            ("dashboard, 90 days", "/studio/dashboard/?period=90"),
            ("dashboard, 365 days", "/studio/dashboard/?period=365"),
            ("film analytics, 365 days", f"/studio/films/{best}/analytics/?period=365"),
        ):
            ms, queries = _median_ms(client, url, args.requests)
            print(f"{label:28} {ms:8.1f} ms  {queries:3d} queries  ratio {ms / baseline:.1f}", flush=True)
    finally:
        overrides.disable()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
