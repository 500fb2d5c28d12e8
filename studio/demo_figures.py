"""The demo creator's figures: a year of views and sales behind creator@wans.demo's dashboard, so the portal shows
real figures on a fresh `bin/run`. Views go in as the daily roll-up writes them (playback.services.rollups_load;
there is no raw log to roll up for a year that never happened), sales and SVOD shares into the ledger through
billing's services. Deterministic: the same day seeds the same figures; running it again adds nothing.

The audience is counted by demo viewer ids (from 10,000,000), which name no account."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts import selectors as account_selectors
from billing.services import figures as billing_figures
from catalog import selectors as catalog_selectors
from playback import selectors as playback_selectors
from playback import services as playback_services

DAYS = 365
RETENTION_DAYS = 28  # the per-minute curve is kept for the last four weeks (it is the biggest table)
VIEWER_BASE, AUDIENCE = 10_000_000, 4000
TERRITORIES = [("PG", 70), ("AU", 12), ("FJ", 7), ("SB", 6), ("NZ", 5)]
DEVICES = [("mobile", 62), ("desktop", 18), ("tv", 12), ("tablet", 8)]
PRICES = {"tvod": {"PGK": 1500, "USD": 499}, "pvod": {"PGK": 3500, "USD": 1499}}


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def _film_year(*, rng: random.Random, film_id: int, runtime: int, rank: int, first: date):
    """Roll-up rows and sales of one film over DAYS days from `first`."""
    daily, viewers, retention, sales = [], [], [], []
    popularity = 14.0 / (1 + rank * 0.6)
    for offset in range(DAYS):
        day = first + timedelta(days=offset)
        season = 1.0 + 0.35 * (day.weekday() >= 5) + 0.5 * (offset / DAYS)  # weekends and a growing audience
        sessions = max(0, int(rng.gauss(popularity * season, popularity * 0.3)))
        if not sessions:
            continue
        cells: Counter = Counter()
        per_viewer: dict[int, dict] = {}
        minutes: Counter = Counter()
        for _ in range(sessions):
            territory, device = _pick(rng, TERRITORIES), _pick(rng, DEVICES)
            reached = runtime * 60 if rng.random() < 0.45 else rng.uniform(30, runtime * 60)
            watched = reached * rng.uniform(0.85, 1.0)
            svod = rng.random() < 0.35
            rebuffer = watched * rng.uniform(0.0, 0.02 if device != "mobile" else 0.05)
            bitrate = {"tv": 5_000_000, "desktop": 3_500_000, "tablet": 2_500_000}.get(device, 1_400_000)
            key = (territory, device)
            cells[key + ("starts",)] += 1
            cells[key + ("watched",)] += watched
            cells[key + ("rebuffer",)] += rebuffer
            cells[key + ("bitrate",)] += watched * bitrate * rng.uniform(0.8, 1.05)
            cells[key + ("errors",)] += int(rng.random() < 0.02)
            viewer = VIEWER_BASE + rng.randrange(AUDIENCE)
            row = per_viewer.setdefault(
                viewer, {"sessions": 0, "completed": 0, "watched_seconds": 0.0, "svod_seconds": 0.0}
            )
            row["sessions"] += 1
            row["completed"] += int(reached >= runtime * 60 * 0.9)
            row["watched_seconds"] += watched
            row["svod_seconds"] += watched if svod else 0.0
            if offset >= DAYS - RETENTION_DAYS:
                for minute in range(int(reached // 60) + 1):
                    minutes[minute] += 1
            if not svod and rng.random() < 0.02:
                model = "pvod" if rng.random() < 0.25 else "tvod"
                currency = "PGK" if territory in ("PG", "SB") else "USD"
                sales.append((day, model, currency, PRICES[model][currency]))
        for territory, device in {(k[0], k[1]) for k in cells}:
            key = (territory, device)
            daily.append(
                {
                    "day": day,
                    "film_id": film_id,
                    "territory": territory,
                    "device_kind": device,
                    "starts": cells[key + ("starts",)],
                    "watched_seconds": round(cells[key + ("watched",)], 1),
                    "rebuffer_seconds": round(cells[key + ("rebuffer",)], 1),
                    "bitrate_seconds": round(cells[key + ("bitrate",)], 1),
                    "errors": cells[key + ("errors",)],
                }
            )
        viewers += [{"day": day, "film_id": film_id, "user_id": viewer, **row} for viewer, row in per_viewer.items()]
        retention += [{"day": day, "film_id": film_id, "minute": m, "sessions": n} for m, n in minutes.items()]
    return daily, viewers, retention, sales


@transaction.atomic
def figures_seed() -> list[str]:
    creator = account_selectors.user_by_email(email="creator@wans.demo")
    if creator is None:
        return ["no creator@wans.demo: no figures"]
    films = list(
        catalog_selectors.films_of_creator(user=creator)
        .filter(status="published")
        .order_by("id")
        .values_list("id", "title", "runtime_minutes")
    )
    today = timezone.now().date()
    first = today - timedelta(days=DAYS)
    seen = playback_selectors.creator_playback_figures(film_ids=[f[0] for f in films], start=first, end=today)
    if seen["views"]:
        return [f"{seen['views']} views over the last year already there: nothing added"]
    daily, viewers, retention, sold = [], [], [], 0
    for rank, (film_id, title, runtime) in enumerate(films):
        rng = random.Random(f"{title}:{first}")
        rows = _film_year(rng=rng, film_id=film_id, runtime=runtime or 90, rank=rank, first=first)
        daily += rows[0]
        viewers += rows[1]
        retention += rows[2]
        for n, (day, model, currency, gross) in enumerate(rows[3]):
            at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8 + n % 12)
            billing_figures.ledger_sale_record(
                key=f"demo-sale:{film_id}:{day}:{n}",
                creator_id=creator.pk,
                film_id=film_id,
                model=model,
                currency=currency,
                gross_minor=gross,
                fee_minor=(gross * 25 + 500) // 1000,
                occurred_at=at,
            )
            sold += 1
    for month_start in sorted({date(r["day"].year, r["day"].month, 1) for r in daily}):
        month_end = (month_start + timedelta(days=32)).replace(day=1)
        if month_end > today:
            continue  # this month's pool is split next month
        # Dated the month's last second, as billing's real split (svod_pool_split) dates the month's pool share.
        seconds = Counter()
        for r in viewers:
            if r["day"].year == month_start.year and r["day"].month == month_start.month:
                seconds[r["film_id"]] += r["svod_seconds"]
        billing_figures.svod_shares_record(
            key=f"demo-svod:{month_start:%Y-%m}",
            creator_id=creator.pk,
            currency="PGK",
            parts={film_id: int(watched // 36) for film_id, watched in sorted(seconds.items())},  # K1 an hour
            occurred_at=datetime.combine(month_end, datetime.min.time(), tzinfo=UTC) - timedelta(seconds=1),
        )
    rows = playback_services.rollups_load(daily=daily, viewers=viewers, retention=retention)
    return [f"{len(films)} films of creator@wans.demo: {rows} roll-up rows over {DAYS} days, {sold} sales"]
