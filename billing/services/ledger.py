"""The double-entry ledger. Every money movement is one LedgerTransaction whose entries sum to zero per currency
(debit positive, credit negative). Posting is idempotent by `key`: posting the same key twice returns the first."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from billing.models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment, WatchTime
from billing.shares import FULL, rights_holders_bps
from catalog import selectors as catalog_selectors

PLATFORM = "platform:revenue"
SVOD_POOL = "svod:pool"


@dataclass(frozen=True)
class Line:
    account: str
    currency: str
    amount_minor: int
    film_id: int | None = None


def _account(code: str) -> LedgerAccount:
    kind = {
        "provider": "asset", "fees": "expense", "platform": "revenue", "creator": "liability", "svod": "liability",
        "payee": "liability", "tax": "liability", "clearing": "liability", "cash": "asset",
    }
    prefix, _, rest = code.partition(":")
    owner_id = int(rest) if prefix == "creator" else None
    account, _ = LedgerAccount.objects.get_or_create(code=code, defaults={"kind": kind[prefix], "owner_id": owner_id})
    return account


def _accounts(codes) -> dict[str, LedgerAccount]:
    """The accounts of these codes, made on first use: one query when they all exist."""
    codes = set(codes)
    found = {account.code: account for account in LedgerAccount.objects.filter(code__in=codes)}
    for code in sorted(codes - set(found)):
        found[code] = _account(code)
    return found


def ledger_post(
    *,
    key: str,
    kind: str,
    lines: list[Line],
    occurred_at: datetime,
    payment: Payment | None = None,
    model: str = "",
    film_id: int | None = None,
    reverses: LedgerTransaction | None = None,
    memo: str = "",
) -> LedgerTransaction:
    """Post one balanced transaction, once per key. Raises ValueError if a currency does not balance."""
    _balanced(key, lines)
    existing = LedgerTransaction.objects.filter(key=key).first()
    if existing is not None:
        return existing
    accounts = _accounts(line.account for line in lines if line.amount_minor != 0)
    try:
        with transaction.atomic():
            txn = LedgerTransaction.objects.create(
                key=key,
                kind=kind,
                payment=payment,
                model=model,
                film_id=film_id,
                reverses=reverses,
                occurred_at=occurred_at,
                memo=memo[:200],
            )
            LedgerEntry.objects.bulk_create(
                LedgerEntry(
                    transaction=txn,
                    account=accounts[line.account],
                    currency=line.currency,
                    amount_minor=line.amount_minor,
                    film_id=line.film_id,
                )
                for line in lines
                if line.amount_minor != 0
            )
    except IntegrityError:  # the same key posted concurrently: the first one stands
        return LedgerTransaction.objects.get(key=key)
    return txn


def _share(amount: int, bps: int) -> int:
    return (amount * bps + FULL // 2) // FULL  # round half up, in minor units


def sale_lines(
    *, provider: str, currency: str, gross: int, fee: int, creator_id: int | None, film_id: int | None
) -> list[Line]:
    """A film's sale: the money the provider holds (gross less its fee), the fee (an expense), the rights holders'
    share of the net (gross less fee; billing.shares: the film's rule, asked of royalties) owed on the creator's
    account, and the rest the platform's revenue. The fee is borne in proportion: the platform's net is its share of
    the net."""
    holders = _share(gross - fee, rights_holders_bps(film_id=film_id))
    return [
        Line(f"provider:{provider}", currency, gross - fee, film_id),
        Line(f"fees:{provider}", currency, fee, film_id),
        Line(PLATFORM, currency, -(gross - holders), film_id),
        Line(f"creator:{creator_id}", currency, -holders, film_id),
    ]


def payment_lines(*, payment: Payment, creator_id: int | None) -> list[Line]:
    """The viewer's payment, the provider's fee, the platform's share and the rights holders' share on the film
    creator's account (or the SVOD pool's). Shares are of the net: gross less the provider's fee (docs/royalties.md)."""
    gross, fee, currency = payment.amount_minor, payment.fee_minor or 0, payment.currency
    film_id = payment.film_id
    if payment.purpose != Payment.Purpose.SUBSCRIPTION:
        return sale_lines(provider=payment.provider, currency=currency, gross=gross, fee=fee, creator_id=creator_id,
                          film_id=film_id)
    # A subscription is no film's: the rights holders' part of its net waits in the SVOD pool for the month's split.
    pooled = _share(gross - fee, settings.BILLING_CREATOR_SHARE_PERCENT * 100)
    return [
        Line(f"provider:{payment.provider}", currency, gross - fee, film_id),
        Line(f"fees:{payment.provider}", currency, fee, film_id),
        Line(PLATFORM, currency, -(gross - pooled), film_id),
        Line(SVOD_POOL, currency, -pooled),
    ]


def ledger_post_payment(*, payment: Payment, creator_id: int | None) -> LedgerTransaction | None:
    """Post a paid payment (nothing for a zero amount: no money moved)."""
    if payment.amount_minor == 0:
        return None
    return ledger_post(
        key=f"payment:{payment.pk}",
        kind=LedgerTransaction.Kind.PAYMENT,
        lines=payment_lines(payment=payment, creator_id=creator_id),
        occurred_at=payment.paid_at,
        payment=payment,
        model="svod" if payment.purpose == Payment.Purpose.SUBSCRIPTION else payment.window_type,
        film_id=payment.film_id,
        memo=f"{payment.reference} via {payment.provider}",
    )


def ledger_reverse_payment(*, payment: Payment, occurred_at: datetime) -> LedgerTransaction | None:
    """A refund: exactly the payment's entries, negated."""
    original = LedgerTransaction.objects.filter(key=f"payment:{payment.pk}").first()
    if original is None:
        return None
    lines = [
        Line(entry.account.code, entry.currency, -entry.amount_minor, entry.film_id)
        for entry in original.entries.select_related("account")
    ]
    return ledger_post(
        key=f"refund:{payment.pk}",
        kind=LedgerTransaction.Kind.REFUND,
        lines=lines,
        occurred_at=occurred_at,
        payment=payment,
        model=original.model,
        film_id=original.film_id,
        reverses=original,
        memo=f"refund of {payment.reference}",
    )


def _month_bounds(period: date) -> tuple[date, date]:
    start = period.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def svod_pool_split_run(*, period: date, currency: str) -> LedgerTransaction | None:
    """Split a month's SVOD pool in one currency (see svod_pool_split), looking up each watched film's creator."""
    film_ids = WatchTime.objects.filter(period=period.replace(day=1), seconds__gt=0).values_list("film_id", flat=True)
    creators = catalog_selectors.film_creators(film_ids=list(film_ids))
    return svod_pool_split(period=period, currency=currency, creators=creators)


def svod_pool_split(*, period: date, currency: str, creators: dict[int, int]) -> LedgerTransaction | None:
    """Split the SVOD pool collected in `period`'s month in `currency` between films by subscribers' watch time
    (WatchTime rows), largest remainder so the parts sum exactly to the pool. `creators` maps film id -> creator
    user id. Once per (month, currency); nothing when no one watched (the pool waits) or nothing was collected.
    The split is the month's earning: it is dated the month's last moment (or now, for the running month), so that
    the month's royalty statements hold it (royalties closes a month after splitting its pool)."""
    start, end = _month_bounds(period)
    key = f"svod_split:{start:%Y-%m}:{currency}"
    if LedgerTransaction.objects.filter(key=key).exists():
        return LedgerTransaction.objects.get(key=key)
    collected = -(
        LedgerEntry.objects.filter(
            account__code=SVOD_POOL,
            currency=currency,
            transaction__kind__in=[LedgerTransaction.Kind.PAYMENT, LedgerTransaction.Kind.REFUND],
            transaction__occurred_at__date__gte=start,
            transaction__occurred_at__date__lt=end,
        ).aggregate(total=Sum("amount_minor"))["total"]
        or 0
    )
    watched = {row.film_id: row.seconds for row in WatchTime.objects.filter(period=start, seconds__gt=0)}
    total_seconds = sum(watched.values())
    if collected <= 0 or total_seconds == 0:
        return None
    exact = {film_id: collected * seconds for film_id, seconds in watched.items()}
    parts = {film_id: value // total_seconds for film_id, value in exact.items()}
    left = collected - sum(parts.values())
    for film_id in sorted(exact, key=lambda f: (-(exact[f] % total_seconds), f))[:left]:
        parts[film_id] += 1
    lines = [Line(SVOD_POOL, currency, collected)] + [
        Line(f"creator:{creators[film_id]}", currency, -amount, film_id) for film_id, amount in parts.items() if amount
    ]
    return ledger_post(
        key=key,
        kind=LedgerTransaction.Kind.SVOD_SPLIT,
        lines=lines,
        occurred_at=min(timezone.now(), datetime.combine(end, datetime.min.time(), tzinfo=UTC) - timedelta(
            microseconds=1)),
        model="svod",
        memo=f"SVOD pool {start:%Y-%m} {currency}: {total_seconds} s watched",
    )


def watch_time_record(*, film_id: int, period: date, seconds: int) -> None:
    """Add subscribers' watch seconds of a film in the month containing `period` (playback feeds this; repeated
    calls add up). Only SVOD viewing should be fed: it is what splits the SVOD pool."""
    if seconds <= 0:
        return
    month = period.replace(day=1)
    updated = WatchTime.objects.filter(film_id=film_id, period=month).update(seconds=F("seconds") + seconds)
    if not updated:
        try:
            with transaction.atomic():
                WatchTime.objects.create(film_id=film_id, period=month, seconds=seconds)
        except IntegrityError:  # created concurrently: add to it
            WatchTime.objects.filter(film_id=film_id, period=month).update(seconds=F("seconds") + seconds)


def svod_pools_split_due(*, today: date) -> list[str]:
    """Beat task body: from the 2nd of a month, split last month's SVOD pool in every currency it holds (once each;
    watch time fed after that split is not counted). Royalties' monthly close splits it first (from the 1st) so
    that the month's statements hold it; this is the fallback for a deployment without royalties' beat task."""
    if today.day < 2:
        return []
    return svod_pools_split_for(period=(today.replace(day=1) - timedelta(days=1)))


def svod_pools_split_for(*, period: date) -> list[str]:
    """Split the SVOD pool of `period`'s month in every currency it collected (svod_pool_split_run; once each).
    Returns "YYYY-MM:CUR" of the splits made or found."""
    start, end = _month_bounds(period)
    currencies = (
        LedgerEntry.objects.filter(account__code=SVOD_POOL, transaction__occurred_at__date__gte=start,
                                   transaction__occurred_at__date__lt=end)
        .values_list("currency", flat=True)
        .distinct()
    )
    done = []
    for currency in sorted(set(currencies)):
        if svod_pool_split_run(period=start, currency=currency) is not None:
            done.append(f"{start:%Y-%m}:{currency}")
    return done


@dataclass(frozen=True)
class Posting:
    """One transaction for ledger_post_many: what ledger_post takes, by ids."""

    key: str
    kind: str
    lines: list[Line]
    occurred_at: datetime
    payment_id: int | None = None
    model: str = ""
    film_id: int | None = None
    memo: str = ""


def _balanced(key: str, lines: list[Line]) -> None:
    totals: dict[str, int] = defaultdict(int)
    for line in lines:
        totals[line.currency] += line.amount_minor
    unbalanced = {currency: total for currency, total in totals.items() if total != 0}
    if unbalanced:
        raise ValueError(f"ledger transaction {key} does not balance: {unbalanced}")


def ledger_post_many(*, postings: list[Posting], batch_size: int = 2000) -> int:
    """ledger_post for many transactions at once (bulk loads such as seed_scale): every posting is checked to
    balance per currency before anything is written, keys already posted are skipped (idempotent like
    ledger_post), accounts are made once, and the rows go in with bulk inserts. Call inside a transaction.
    Returns the number of transactions written."""
    for posting in postings:
        _balanced(posting.key, posting.lines)
    keys = [posting.key for posting in postings]
    if len(set(keys)) != len(keys):
        raise ValueError("ledger_post_many: a key appears twice")
    posted = set()
    for start in range(0, len(keys), 5000):
        posted |= set(LedgerTransaction.objects.filter(key__in=keys[start:start + 5000]).values_list("key", flat=True))
    todo = [posting for posting in postings if posting.key not in posted]
    accounts = _accounts(line.account for p in todo for line in p.lines)
    written = 0
    for start in range(0, len(todo), batch_size):
        chunk = todo[start:start + batch_size]
        txns = LedgerTransaction.objects.bulk_create(
            LedgerTransaction(key=p.key, kind=p.kind, payment_id=p.payment_id, model=p.model, film_id=p.film_id,
                              occurred_at=p.occurred_at, memo=p.memo[:200])
            for p in chunk
        )
        LedgerEntry.objects.bulk_create(
            (
                LedgerEntry(transaction_id=txn.pk, account=accounts[line.account], currency=line.currency,
                            amount_minor=line.amount_minor, film_id=line.film_id)
                for txn, p in zip(txns, chunk, strict=True)
                for line in p.lines
                if line.amount_minor != 0
            ),
            batch_size=batch_size * 4,
        )
        written += len(chunk)
    return written
