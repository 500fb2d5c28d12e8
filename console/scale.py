"""seed_scale: the platform at the size the seed claims, for the console's pages and benchmarks.

At --scale 1: 45,892 users (profiles, devices), 1,284 films by 214 creators with windows, 12,458 live subscriptions
over the plans and currencies, a year of payments worth about USD 234.5K at the stored rates with their ledger
(posted through billing's ledger rules, in bulk), 156,200 playback sessions rolled up per day, and transcoding jobs
in every state. Everything comes from one random.Random(seed), so a seed gives the same rows (times are offsets from
the moment of the run). Bulk inserts in one transaction; a second run finds the marker users and does nothing.

This is a loader, like loaddata: it writes other apps' tables in bulk through the app registry (no app's service
writes 45,892 users one by one in minutes). The ledger is the exception that matters: it goes through
billing.services.ledger (payment_lines + ledger_post_many), which checks every transaction balances."""

import random
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from billing.services.ledger import Posting, ledger_post_many, payment_lines

DOMAIN = "scale.wans.test"
BASE = {"users": 45_892, "films": 1_284, "subscriptions": 12_458, "sessions": 156_200, "usd_minor": 23_450_000}
FILMS_PER_CREATOR = 6
# USD per unit, stored as the reporting rates (BILLING_REPORTING_CURRENCY is USD by default).
RATES = {"USD": Decimal("1"), "PGK": Decimal("0.2550"), "AUD": Decimal("0.6500"), "NZD": Decimal("0.5900"),
         "GBP": Decimal("1.2700")}
COUNTRIES = [("PG", 70), ("AU", 9), ("NZ", 5), ("FJ", 5), ("SB", 3), ("GB", 4), ("US", 4)]
CURRENCY_OF = {"PG": "PGK", "AU": "AUD", "NZ": "NZD", "GB": "GBP"}
PNG_PROVIDERS = [("bsp", 40), ("digicel", 35), ("vodafone", 10), ("bank", 15)]
FEE_BPS = {"bsp": 200, "digicel": 250, "vodafone": 250, "bank": 0, "stripe": 290}
DEVICE_KINDS = [("mobile", 65), ("desktop", 15), ("tv", 12), ("tablet", 8)]
BITRATE = {"mobile": 900_000, "tablet": 1_800_000, "desktop": 3_000_000, "tv": 4_500_000}
HEIGHT = {"mobile": 480, "tablet": 720, "desktop": 1080, "tv": 1080}
LADDER = [(240, 400), (360, 800), (480, 1400), (720, 2800), (1080, 5000)]
FIRST = ["Kila", "Mary", "John", "Grace", "Peter", "Ruth", "Joseph", "Anna", "Michael", "Rose", "David", "Naomi",
         "Paul", "Esther", "Samuel", "Helen", "James", "Lucy", "Thomas", "Agnes", "Moses", "Elizabeth", "Luke", "Joy"]
LAST = ["Kila", "Namaliu", "Somare", "Tau", "Waigani", "Kaupa", "Lohia", "Morauta", "Toua", "Yagi", "Pato", "Age",
        "Marape", "Kumul", "Boio", "Hagen", "Wingti", "Kapi", "Ila", "Gorogo", "Mel", "Dopi", "Tamo", "Wari"]
WORDS = ["River", "Island", "Highlands", "Kundu", "Sepik", "Bilum", "Reef", "Village", "Drum", "Mountain", "Storm",
         "Canoe", "Market", "Garden", "Song", "Road", "Harbour", "Fire", "Moon", "Shell", "Bird", "Coast", "Smoke"]


def figures_for(scale: float) -> dict[str, int]:
    """The counts at a scale (each at least 1; creators from films)."""
    counts = {name: max(1, round(value * scale)) for name, value in BASE.items()}
    counts["creators"] = max(1, round(counts["films"] / FILMS_PER_CREATOR))
    counts["users"] = max(counts["users"], counts["creators"] + counts["subscriptions"] + 2)
    counts["live_sessions"] = max(1, round(312 * scale))
    counts["rentals"] = max(1, round(3_100 * scale))
    return counts


def _model(label: str):
    return apps.get_model(label)


@contextmanager
def _own_timestamps(*labels: str):
    """Let the loader set created_at and friends itself (auto_now/auto_now_add would stamp the moment of the run)."""
    touched = []
    for label in labels:
        for f in _model(label)._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                touched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in touched:
            f.auto_now, f.auto_now_add = now, now_add


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    usd_minor: int = 0
    seconds: float = 0.0
    skipped: bool = False

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"already seeded ({self.counts.get('users', 0)} users @{DOMAIN}): nothing written"]
        out = [f"{name}: {value:,}" for name, value in self.counts.items()]
        out.append(f"paid in the last year: USD {self.usd_minor / 100:,.2f} at the stored rates")
        out.append(f"seed_scale took {self.seconds:.1f} s")
        return out


class _Loader:
    def __init__(self, *, scale: float, seed: int, now: datetime):
        self.rng = random.Random(seed)
        self.n = figures_for(scale)
        self.now = now
        self.report = Report()
        self.batch = 2000

    def bulk(self, label: str, rows: list, **kwargs) -> list:
        made = _model(label).objects.bulk_create(rows, batch_size=self.batch, **kwargs)
        self.report.counts[label] = self.report.counts.get(label, 0) + len(made)
        return made

    # --- accounts ---------------------------------------------------------------------------------------------
    def users(self) -> None:
        rng, n, now = self.rng, self.n, self.now
        User, Profile, Device = _model("accounts.User"), _model("accounts.Profile"), _model("accounts.Device")
        password = make_password(None)  # unusable: scale accounts never sign in
        rows = []
        for i in range(n["users"]):
            # Growth: more people joined recently (the square pulls the offsets towards today).
            joined = now - timedelta(seconds=int(365 * 86400 * (1 - (1 - rng.random()) ** 2)))
            first, last = rng.choice(FIRST), rng.choice(LAST)
            rows.append(User(email=f"user{i:06d}@{DOMAIN}", display_name=f"{first} {last}", password=password,
                             country=_pick(rng, COUNTRIES), date_joined=joined))
        self.users_ = self.bulk("accounts.User", rows)
        self.creators = self.users_[: n["creators"]]
        self.viewers = self.users_[n["creators"]:]
        profiles, devices = [], []
        for user in self.users_:
            profiles.append(Profile(user_id=user.pk, name=user.display_name.split()[0], created_at=user.date_joined))
            if rng.random() < 0.3:
                profiles.append(Profile(user_id=user.pk, name="Kids", is_kids=True, maturity_limit=10,
                                        created_at=user.date_joined))
            for k in range(rng.choice((1, 1, 2, 2, 3))):
                kind = _pick(rng, DEVICE_KINDS)
                seen = user.date_joined + (now - user.date_joined) * rng.random()
                devices.append(Device(user_id=user.pk, device_key=f"scale-{user.pk}-{k}", name=f"{kind} {k + 1}",
                                      kind=kind, last_country=str(user.country), created_at=user.date_joined,
                                      last_seen_at=seen))
        self.bulk("accounts.Profile", profiles)
        self.bulk("accounts.Device", devices)
        self.device_kind = {}
        for device in devices:
            self.device_kind.setdefault(device.user_id, device.kind)
        CreatorProfile = _model("accounts.CreatorProfile")
        self.bulk("accounts.CreatorProfile", [
            CreatorProfile(user_id=u.pk, display_name=u.display_name, slug=f"scale-{u.pk}-{slugify(u.display_name)}",
                           country=u.country, status="approved", created_at=u.date_joined)
            for u in self.creators
        ])
        Group = _model("auth.Group")
        creator_group = Group.objects.filter(name="creator").first()
        if creator_group is not None:
            Membership = User.groups.through
            self.bulk("accounts.User_groups", [Membership(user_id=u.pk, group_id=creator_group.pk)
                                               for u in self.creators])

    # --- catalog, rights, transcoding -------------------------------------------------------------------------
    def films(self) -> None:
        rng, n, now = self.rng, self.n, self.now
        Film = _model("catalog.Film")
        rows = []
        for i in range(n["films"]):
            joint = rng.choice(["of the", "and the", "in the", "under the"])
            title = f"{rng.choice(WORDS)} {joint} {rng.choice(WORDS)}"
            status = _pick(rng, [("published", 92), ("in_review", 3), ("draft", 4), ("archived", 1)])
            created = now - timedelta(days=rng.uniform(20, 730))
            published = created + timedelta(days=rng.uniform(1, 14)) if status in ("published", "archived") else None
            rows.append(Film(
                title=title, slug=f"scale-{i:05d}-{slugify(title)}", synopsis=f"{title}: a story from the Pacific.",
                runtime_minutes=rng.choice([8, 12, 15, 22, 48, 75, 90, 104, 118]), release_year=rng.randint(2015, 2026),
                maturity=rng.choice([0, 10, 13, 15]), original_language=rng.choice(["en", "tpi"]),
                audio_languages=",en,", creator_id=self.creators[i % len(self.creators)].pk, status=status,
                published_at=published, created_at=created, updated_at=published or created,
                popularity=0, search_text=title,
            ))
        # The first films are in every state the console lists, whatever the scale.
        for film, status in zip(rows, ["published", "in_review"], strict=False):
            film.status = status
            film.published_at = film.created_at + timedelta(days=1) if status == "published" else None
        self.films_ = self.bulk("catalog.Film", rows)
        self.published = [f for f in self.films_ if f.status == "published"]
        self.windows()
        self.jobs()

    def windows(self) -> None:
        rng = self.rng
        Window, WindowTerritory, WindowPrice = (_model("rights.Window"), _model("rights.WindowTerritory"),
                                                _model("rights.WindowPrice"))
        countries = [c for c, _ in COUNTRIES]
        rows = []
        for film in self.films_:
            starts = film.published_at or film.created_at + timedelta(days=30)
            rows.append(Window(film_id=film.pk, window_type="svod", territories=",".join(countries),
                               starts_at=starts, created_at=film.created_at, updated_at=film.created_at))
            if rng.random() < 0.25:
                rows.append(Window(film_id=film.pk, window_type="tvod", territories=",".join(countries),
                                   starts_at=starts, created_at=film.created_at, updated_at=film.created_at))
        windows = self.bulk("rights.Window", rows)
        self.tvod = {w.film_id: w for w in windows if w.window_type == "tvod"}
        self.bulk("rights.WindowTerritory", [
            WindowTerritory(window_id=w.pk, film_id=w.film_id, window_type=w.window_type, country=c,
                            starts_at=w.starts_at, ends_at=None)
            for w in windows for c in countries
        ])
        self.bulk("rights.WindowPrice", [
            WindowPrice(window_id=w.pk, currency=currency, amount_minor=amount)
            for w in self.tvod.values() for currency, amount in (("PGK", 1500), ("USD", 399), ("AUD", 599))
        ])

    def jobs(self) -> None:
        rng = self.rng
        Job, Rendition = _model("transcoding.Job"), _model("transcoding.Rendition")
        rows = []
        for film in self.films_:
            seconds = film.runtime_minutes * 60
            done = film.status in ("published", "archived")
            state = "completed" if done else _pick(rng, [("queued", 30), ("transcoding", 20), ("failed", 25),
                                                         ("cancelled", 10), ("probing", 5), ("packaging", 5),
                                                         ("uploading", 5)])
            rows.append(self._job(Job, film, state, seconds))
            if done and rng.random() < 0.04:  # an earlier attempt that failed, then the one that completed
                rows.append(self._job(Job, film, "failed", seconds))
        for state in ["queued", "probing", "transcoding", "packaging", "uploading", "failed", "cancelled"]:
            if not any(job.state == state for job in rows):  # every state at every scale
                rows.append(self._job(Job, self.films_[min(1, len(self.films_) - 1)], state, 600))
        jobs = self.bulk("transcoding.Job", rows)
        renditions = []
        for job in jobs:
            if job.state != "completed":
                continue
            for height, kbps in LADDER:
                renditions.append(Rendition(
                    job_id=job.pk, kind="video", representation_id=f"v{height}", width=height * 16 // 9,
                    height=height, rung=height, bitrate_kbps=kbps, bandwidth=kbps * 1100,
                    average_bandwidth=kbps * 900, codecs="avc1.64001f,mp4a.40.2", frame_rate=25.0,
                    playlist=f"hls/v{height}/index.m3u8", size_bytes=int(job.duration_seconds * kbps * 900 / 8),
                ))
            renditions.append(Rendition(
                job_id=job.pk, kind="audio", representation_id="a64", bitrate_kbps=64, bandwidth=70_000,
                average_bandwidth=64_000, codecs="mp4a.40.2", playlist="hls/a64/index.m3u8", audio_only=True,
                size_bytes=int(job.duration_seconds * 8_000),
            ))
        self.bulk("transcoding.Rendition", renditions)

    def _job(self, Job, film, state: str, seconds: int):
        rng, now = self.rng, self.now
        created = film.published_at - timedelta(hours=2) if film.published_at else now - timedelta(
            minutes=rng.randint(5, 60 * 30))
        running = state in ("probing", "transcoding", "packaging", "uploading")
        finished = state in ("completed", "failed", "cancelled")
        return Job(
            film_id=film.pk, kind="feature", source_path=f"/masters/scale/{film.slug}.mov",
            source_size=seconds * 2_500_000, state=state, attempts=3 if state == "failed" else int(state != "queued"),
            progress=1.0 if state == "completed" else round(rng.random(), 3) if running else 0.0,
            error="ffmpeg exited with 1: moov atom not found" if state == "failed" else "",
            worker=f"celery@transcode-{rng.randint(1, 3)}" if running or finished else "",
            heartbeat_at=now - timedelta(seconds=rng.randint(1, 20)) if running else None,
            due_at=created if state == "queued" else None,
            output_prefix=f"films/{film.pk}/scale" if state == "completed" else "",
            duration_seconds=float(seconds), realtime_factor=round(rng.uniform(1.5, 6), 2) if state == "completed"
            else None, created_at=created, started_at=created + timedelta(minutes=1) if state != "queued" else None,
            finished_at=created + timedelta(minutes=40) if finished else None, updated_at=now,
        )

    # --- billing ----------------------------------------------------------------------------------------------
    def rates(self) -> None:
        ExchangeRate = _model("billing.ExchangeRate")
        valid_from = (self.now - timedelta(days=400)).date()
        for currency, rate in RATES.items():
            ExchangeRate.objects.get_or_create(currency=currency, valid_from=valid_from, defaults={"rate": rate})

    def _usd(self, currency: str, amount_minor: int) -> int:
        return int((RATES[currency] * amount_minor).to_integral_value())

    def subscriptions(self) -> None:
        rng, n, now = self.rng, self.n, self.now
        Plan, PlanPrice = _model("billing.Plan"), _model("billing.PlanPrice")
        Subscription, Payment = _model("billing.Subscription"), _model("billing.Payment")
        plans = {p.code: p for p in Plan.objects.all()}
        prices = {(p.plan_id, p.interval, p.currency): p.amount_minor for p in PlanPrice.objects.all()}
        subscribers = rng.sample(self.viewers, n["subscriptions"])
        subs, payments = [], []  # payments: (subscription index, period start, period end)
        for user in subscribers:
            plan = plans[_pick(rng, [("basic", 50), ("standard", 35), ("premium", 15)])]
            currency = CURRENCY_OF.get(str(user.country), "USD")
            interval = "year" if rng.random() < 0.03 else "month"
            trial = plan.trial_days and rng.random() < 0.12
            length = timedelta(days=365 if interval == "year" else 30)
            start = now - timedelta(seconds=rng.randint(0, int(length.total_seconds()) - 3600))
            if trial:
                start = now - timedelta(hours=rng.randint(1, plan.trial_days * 24 - 1))
                length = timedelta(days=plan.trial_days)
            provider = _pick(rng, PNG_PROVIDERS) if currency == "PGK" else "stripe"
            subs.append(Subscription(
                user_id=user.pk, plan_id=plan.pk, interval=interval, currency=currency,
                amount_minor=prices[(plan.pk, interval, currency)], provider=provider,
                status="trialing" if trial else "active", current_period_start=start,
                current_period_end=start + length, trial_ends_at=start + length if trial else None,
                created_at=start, updated_at=start,
            ))
        total = 0
        for index, sub in enumerate(subs):
            if sub.status == "active":
                payments.append((index, sub.current_period_start, sub.current_period_end))
                total += self._usd(sub.currency, sub.amount_minor)
        # Earlier months, most recent first, until the year's payments reach the seed's figure.
        self.rental_plans = self._plan_rentals()
        budget = self.n["usd_minor"] - total - sum(self._usd(c, a) for _, _, c, a, _ in self.rental_plans)
        monthly = [i for i, s in enumerate(subs) if s.status == "active" and s.interval == "month"]
        for back in range(1, 12):
            rng.shuffle(monthly)
            kept = []
            for index in monthly:
                sub = subs[index]
                cost = self._usd(sub.currency, sub.amount_minor)
                if budget - cost < 0 or rng.random() < 0.25:
                    continue  # this one started the month after
                budget -= cost
                start = sub.current_period_start - timedelta(days=30 * back)
                payments.append((index, start, start + timedelta(days=30)))
                kept.append(index)
            monthly = kept
        self.subs = self.bulk("billing.Subscription", subs)
        first_paid = {}
        rows = []
        for index, start, end in payments:
            sub = self.subs[index]
            first_paid[index] = min(first_paid.get(index, start), start)
            rows.append(self._payment(Payment, user_id=sub.user_id, purpose="subscription", provider=sub.provider,
                                      currency=sub.currency, amount=sub.amount_minor, at=start,
                                      subscription_id=sub.pk, plan_id=sub.plan_id, interval=sub.interval,
                                      period_start=start, period_end=end))
        for index, start in first_paid.items():  # the subscription began with its first payment
            self.subs[index].created_at = start
        Subscription.objects.bulk_update([self.subs[i] for i in first_paid], ["created_at"], batch_size=1000)
        self.payments = self.bulk("billing.Payment", rows)
        self.rentals()
        Entitlement = _model("billing.Entitlement")
        self.bulk("billing.Entitlement", [
            Entitlement(user_id=s.user_id, kind="subscription", subscription_id=s.pk, granted_at=s.created_at)
            for s in self.subs
        ])

    def _payment(self, Payment, *, user_id, purpose, provider, currency, amount, at, **extra):
        self.payment_no = getattr(self, "payment_no", 0) + 1
        fee = amount * FEE_BPS[provider] // 10_000 + (30 if provider == "stripe" else 0)
        return Payment(
            public_id=_uuid(self.rng), reference=f"S{self.payment_no:09d}", user_id=user_id, purpose=purpose,
            provider=provider, status="paid", currency=currency, subtotal_minor=amount, amount_minor=amount,
            fee_minor=min(fee, amount), paid_at=at, created_at=at - timedelta(minutes=2), updated_at=at, **extra,
        )

    def _plan_rentals(self) -> list[tuple]:
        """(user, window, currency, amount, at) of the year's rentals, drawn before the subscriptions' payments so
        that those fill the year's figure exactly around them."""
        rng, now = self.rng, self.now
        windows = list(self.tvod.values())
        if not windows:
            return []
        prices = {"PGK": 1500, "USD": 399, "AUD": 599}
        year_ago = now - timedelta(days=364)
        plans = []
        for _ in range(self.n["rentals"]):
            user = rng.choice(self.viewers)
            window = rng.choice(windows)
            currency = CURRENCY_OF.get(str(user.country), "USD")
            currency = currency if currency in prices else "USD"
            since = max(window.starts_at, year_ago)
            at = since + timedelta(seconds=rng.randint(0, max(1, int((now - since).total_seconds()) - 60)))
            plans.append((user, window, currency, prices[currency], at))
        return plans

    def rentals(self) -> None:
        Payment, Entitlement = _model("billing.Payment"), _model("billing.Entitlement")
        rows = []
        for user, window, currency, amount, at in self.rental_plans:
            provider = _pick(self.rng, PNG_PROVIDERS) if currency == "PGK" else "stripe"
            rows.append(self._payment(Payment, user_id=user.pk, purpose="purchase", provider=provider,
                                      currency=currency, amount=amount, at=at, window_id=window.pk,
                                      film_id=window.film_id, window_type="tvod"))
        made = self.bulk("billing.Payment", rows)
        self.payments += made
        self.creator_of = {f.pk: f.creator_id for f in self.films_}
        self.bulk("billing.Entitlement", [
            Entitlement(user_id=p.user_id, kind="rental", window_id=p.window_id, film_id=p.film_id, payment_id=p.pk,
                        granted_at=p.paid_at, start_by=p.paid_at + timedelta(days=30))
            for p in made
        ])

    def ledger(self) -> None:
        creator_of = getattr(self, "creator_of", {})
        postings = []
        for payment in self.payments:
            postings.append(Posting(
                key=f"payment:{payment.pk}", kind="payment",
                lines=payment_lines(payment=payment, creator_id=creator_of.get(payment.film_id)),
                occurred_at=payment.paid_at, payment_id=payment.pk,
                model="svod" if payment.purpose == "subscription" else payment.window_type,
                film_id=payment.film_id, memo=f"{payment.reference} via {payment.provider}",
            ))
            self.report.usd_minor += self._usd(payment.currency, payment.amount_minor)
        self.report.counts["billing.LedgerTransaction"] = ledger_post_many(postings=postings)

    # --- playback ---------------------------------------------------------------------------------------------
    def sessions(self) -> None:
        rng, n, now = self.rng, self.n, self.now
        Session = _model("playback.PlaybackSession")
        films = self.published or self.films_
        weights = [1 / (rank + 1) for rank in range(len(films))]  # a few films draw most views
        watchers = [s.user_id for s in self.subs] or [u.pk for u in self.viewers]
        country = {u.pk: str(u.country) for u in self.users_}
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        daily = defaultdict(lambda: [0, 0.0, 0.0])
        plays = defaultdict(int)
        live = n["live_sessions"]
        chunk = []
        for i in range(n["sessions"]):
            film = rng.choices(films, weights=weights)[0]
            user_id = rng.choice(watchers)
            kind = self.device_kind.get(user_id, "mobile")
            runtime = film.runtime_minutes * 60
            watched = float(int(runtime * rng.uniform(0.05, 1.0)))
            if i < live:  # streaming now
                started = now - timedelta(seconds=int(watched))
                ended, reason, beat = None, "", now - timedelta(seconds=rng.randint(1, 25))
            else:
                # Most views are recent: offsets over 90 days, denser towards today.
                started = now - timedelta(seconds=int(90 * 86400 * rng.random() ** 1.6) + int(watched) + 60)
                beat = started + timedelta(seconds=watched)
                ended, reason = beat, "stopped"
            bitrate = BITRATE[kind]
            row = Session(
                id=_uuid(rng), user_id=user_id, film_id=film.pk, device_kind=kind, device_name=kind,
                territory=country.get(user_id, "PG"), window_type="svod", via="entitlement", top_height=HEIGHT[kind],
                started_at=started, expires_at=beat + timedelta(seconds=90), last_heartbeat_at=beat,
                position_seconds=watched, watched_seconds=watched, bitrate_seconds=bitrate * watched,
                ended_at=ended, end_reason=reason,
            )
            chunk.append(row)
            if started >= now - timedelta(days=30):
                plays[film.pk] += 1
            if started < today:
                cell = daily[(started.date(), film.pk, row.territory, kind)]
                cell[0] += 1
                cell[1] += watched
                cell[2] += bitrate * watched
            if len(chunk) >= 10_000:
                self.bulk("playback.PlaybackSession", chunk)
                chunk = []
        self.bulk("playback.PlaybackSession", chunk)
        Daily, RolledDay = _model("playback.PlaybackDaily"), _model("playback.RolledDay")
        self.bulk("playback.PlaybackDaily", [
            Daily(day=day, film_id=film_id, territory=territory, device_kind=kind, starts=cell[0],
                  watched_seconds=cell[1], bitrate_seconds=cell[2])
            for (day, film_id, territory, kind), cell in sorted(daily.items())
        ])
        rolled = {day for day, *_ in daily} - set(RolledDay.objects.values_list("day", flat=True))
        self.bulk("playback.RolledDay", [RolledDay(day=day, rolled_at=now) for day in sorted(rolled)])
        Film = _model("catalog.Film")
        for film in self.films_:
            film.popularity = plays.get(film.pk, 0)
        Film.objects.bulk_update(self.films_, ["popularity"], batch_size=1000)


def seeded_users() -> int:
    return _model("accounts.User").objects.filter(email__endswith=f"@{DOMAIN}").count()


def seed_scale(*, scale: float = 1.0, seed: int = 1, now: datetime | None = None, log=None) -> Report:
    """Fill the database (see the module docstring). Idempotent: if the marker users exist, nothing is written."""
    began = time.monotonic()
    existing = seeded_users()
    if existing:
        return Report(counts={"users": existing}, skipped=True)
    now = now or timezone.now()
    loader = _Loader(scale=scale, seed=seed, now=now.astimezone(UTC))
    steps = [loader.users, loader.films, loader.rates, loader.subscriptions, loader.ledger, loader.sessions]
    labels = ["accounts.User", "accounts.Device", "accounts.Profile", "accounts.CreatorProfile", "catalog.Film",
              "rights.Window", "transcoding.Job", "billing.Subscription", "billing.Payment",
              "billing.LedgerTransaction", "playback.RolledDay"]
    with transaction.atomic(), _own_timestamps(*labels):
        for step in steps:
            step_began = time.monotonic()
            step()
            if log:
                log(f"{step.__name__}: {time.monotonic() - step_began:.1f} s")
    loader.report.seconds = time.monotonic() - began
    return loader.report
