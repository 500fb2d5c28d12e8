"""Royalties' writes: payees and their rules, and the monthly close (allocation to payees, then statements).

The close (`period_close`) is one database transaction per month: it inserts the month's StatementRun row first
(its unique period is the lock: a second close of the same month waits for the first and then finds it), plans the
allocation (royalties/allocation.py), posts it to billing's ledger, records the Allocation and AllocatedSource rows
and builds the month's statements (royalties/statements.py), chained (royalties/chain.py). Emails go after commit."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from billing import selectors as billing_selectors
from billing import services as billing_services
from royalties import selectors, splits
from royalties.allocation import allocation_plan, month_bounds
from royalties.errors import PeriodNotOver, PeriodOrder, RoyaltiesInvalid, SplitOverlap
from royalties.models import (
    FULL_BPS,
    Advance,
    AllocatedSource,
    Allocation,
    MinimumGuarantee,
    Payee,
    RoyaltyRule,
    SplitRuleSet,
    SplitShare,
    Statement,
    StatementRun,
    WithholdingRate,
)
from royalties.payees import payee_for_user
from royalties.statements import statements_build

__all__ = [
    "advance_create", "guarantee_create", "payee_create", "payee_for_user", "period_close", "royalty_rule_set",
    "split_rule_set_create", "split_rule_set_end", "statement_emailed", "statements_close_due",
    "withholding_rate_set",
]


# --- payees and rules --------------------------------------------------------------------------------------------


def payee_create(*, name: str, country: str, currency: str, email: str = "", user=None,
                 withholding_exempt: bool = False, exemption_reference: str = "") -> Payee:
    """A payee staff add (a producer, a distributor, a collective); `user` when they have an account (one own payee
    per user: RoyaltiesInvalid otherwise)."""
    fields = {}
    if not (name or "").strip():
        fields["name"] = ["Give the payee's name."]
    if not (len(country or "") == 2 and country.isalpha()):
        fields["country"] = ["Use a two-letter country code."]
    if not (len(currency or "") == 3 and currency.isalpha()):
        fields["currency"] = ["Use a three-letter currency code."]
    if withholding_exempt and not (exemption_reference or "").strip():
        fields["exemption_reference"] = ["Give the exemption certificate's reference."]
    if user is not None and Payee.objects.filter(user=user).exists():
        fields["user"] = ["This account has its payee already."]
    if fields:
        raise RoyaltiesInvalid(fields=fields)
    return Payee.objects.create(
        name=name.strip()[:200], email=email, user=user, country=country.upper(), currency=currency.upper(),
        withholding_exempt=withholding_exempt, exemption_reference=exemption_reference.strip()[:120],
    )


def royalty_rule_set(*, film_id: int, holders_bps: int | None) -> RoyaltyRule | None:
    """Set a film's rights holders' share of its net (basis points), or remove the film's rule (None: the default
    applies). Applies to sales posted from now on; what is posted stays."""
    if holders_bps is None:
        RoyaltyRule.objects.filter(film_id=film_id).delete()
        return None
    if not 0 <= holders_bps <= FULL_BPS:
        raise RoyaltiesInvalid(fields={"holders_bps": ["Between 0 and 10000 basis points (0% to 100%)."]})
    rule, _ = RoyaltyRule.objects.update_or_create(film_id=film_id, defaults={"holders_bps": holders_bps})
    return rule


def split_rule_set_create(
    *,
    film_id: int,
    shares: list[tuple[int, int]],
    valid_from: date,
    valid_until: date | None = None,
    model: str = "",
    territory: str = "",
    note: str = "",
    by=None,
) -> SplitRuleSet:
    """A film's split between payees for a scope and dates: `shares` [(payee id, basis points)] summing to 10000.
    Refusals (nothing written): RoyaltiesInvalid, SplitSumInvalid (split_sum_not_100), SplitOverlap
    (split_overlap: on Postgres also when a concurrent request committed an overlapping set first)."""
    model, territory = (model or "").strip().lower(), (territory or "").strip().upper()
    splits.split_check(film_id=film_id, model=model, territory=territory, valid_from=valid_from,
                       valid_until=valid_until, shares=shares)
    try:
        with transaction.atomic():
            rule_set = SplitRuleSet.objects.create(
                film_id=film_id, model=model, territory=territory, valid_from=valid_from, valid_until=valid_until,
                note=note[:200], created_by=by,
            )
            SplitShare.objects.bulk_create(
                SplitShare(rule_set=rule_set, payee_id=payee_id, share_bps=bps) for payee_id, bps in shares
            )
    except IntegrityError:  # Postgres's exclusion constraint: an overlapping set committed meanwhile
        splits.split_check(film_id=film_id, model=model, territory=territory, valid_from=valid_from,
                           valid_until=valid_until, shares=shares)
        raise SplitOverlap() from None
    return rule_set


def split_rule_set_end(*, rule_set: SplitRuleSet, valid_until: date) -> SplitRuleSet:
    """End a rule set (exclusive date), to start another after it. Allocations already made stay."""
    if valid_until <= rule_set.valid_from:
        raise RoyaltiesInvalid(fields={"valid_until": ["The end must come after the start."]})
    SplitRuleSet.objects.filter(pk=rule_set.pk).update(valid_until=valid_until)
    rule_set.valid_until = valid_until
    return rule_set


def _money_check(*, currency: str, amount_minor: int, field: str = "amount_minor") -> dict:
    fields = {}
    if not (len(currency or "") == 3 and currency.isalpha() and currency.isupper()):
        fields["currency"] = ["Use a three-letter currency code (PGK)."]
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool) or amount_minor <= 0:
        fields[field] = ["A positive whole number of minor units (toea, cents)."]
    return fields


def _open_month_check(*, starts_on: date | None, field: str) -> dict:
    first_open = selectors.first_open_month()
    if starts_on is not None and first_open is not None and starts_on.replace(day=1) < first_open:
        return {field: [f"{_previous_month(first_open):%Y-%m} is closed: start from {first_open:%Y-%m} or later."]}
    return {}


def advance_create(*, payee: Payee, film_id: int, currency: str, amount_minor: int, starts_on: date,
                   recoup_bps: int = FULL_BPS, note: str = "") -> Advance:
    """An advance `payee` recoups from the film's pool in `currency`, first, from the month of `starts_on` (an
    open month: what closed months allocated stays as it was)."""
    fields = _money_check(currency=currency, amount_minor=amount_minor)
    if not 1 <= recoup_bps <= FULL_BPS:
        fields["recoup_bps"] = ["Between 1 and 10000 basis points."]
    fields.update(_open_month_check(starts_on=starts_on, field="starts_on"))
    if fields:
        raise RoyaltiesInvalid(fields=fields)
    return Advance.objects.create(payee=payee, film_id=film_id, currency=currency, amount_minor=amount_minor,
                                  recoup_bps=recoup_bps, starts_on=starts_on, note=note[:200])


def guarantee_create(*, payee: Payee, film_id: int, currency: str, amount_minor: int, starts_on: date,
                     ends_on: date | None = None, note: str = "") -> MinimumGuarantee:
    """A minimum guarantee a month to `payee` from the film, topped up by the platform at each close."""
    fields = _money_check(currency=currency, amount_minor=amount_minor)
    if ends_on is not None and ends_on <= starts_on:
        fields["ends_on"] = ["The end must come after the start."]
    if fields:
        raise RoyaltiesInvalid(fields=fields)
    return MinimumGuarantee.objects.create(payee=payee, film_id=film_id, currency=currency, amount_minor=amount_minor,
                                           starts_on=starts_on.replace(day=1), ends_on=ends_on, note=note[:200])


def withholding_rate_set(*, country: str, rate_bps: int, valid_from: date, note: str = "") -> WithholdingRate:
    if not 0 <= rate_bps <= FULL_BPS:
        raise RoyaltiesInvalid(fields={"rate_bps": ["Between 0 and 10000 basis points."]})
    rate, _ = WithholdingRate.objects.update_or_create(
        country=country.upper(), valid_from=valid_from, defaults={"rate_bps": rate_bps, "note": note[:200]}
    )
    return rate


# --- the monthly close -------------------------------------------------------------------------------------------


def _previous_month(period: date) -> date:
    return (period.replace(day=1) - timedelta(days=1)).replace(day=1)


def _next_month(period: date) -> date:
    return month_bounds(period)[1].date()


def period_close(*, period: date, now: datetime | None = None) -> StatementRun:
    """Close `period`'s month: split its SVOD pool (billing, once per currency), allocate every creator-account line
    not yet allocated that is dated before the month's end (earlier months' lines as adjustments), post the royalty
    transactions, build and chain the payees' statements and email them after commit. Idempotent: a closed month is
    returned as it is. Refuses (PeriodNotOver) a month that has not ended, and (PeriodOrder) a month before the last
    closed one or after a month not closed yet."""
    now = now or timezone.now()
    start, end = month_bounds(period)
    period = start.date()
    if end > now:
        raise PeriodNotOver(f"{period:%Y-%m} ends at {end.isoformat()}.")
    existing = StatementRun.objects.filter(period=period).first()
    if existing is not None:
        return existing
    latest = StatementRun.objects.order_by("-period").first()
    if latest is not None and latest.period > period:
        raise PeriodOrder(f"{latest.period:%Y-%m} is closed: {period:%Y-%m} can no longer be (its late lines land "
                          "in the next open month as adjustments).")
    if latest is not None and latest.period != _previous_month(period):
        raise PeriodOrder(f"Close {_next_month(latest.period):%Y-%m} first.")
    billing_services.svod_pools_split_for(period=period)  # the month's pool share belongs in its statements
    closed_at = now.replace(microsecond=0)
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = StatementRun.objects.create(period=period, closed_at=closed_at)
        except IntegrityError:  # closed concurrently: that close stands
            return StatementRun.objects.get(period=period)
        plan = allocation_plan(period=period)
        billing_services.ledger_post_many(postings=plan.postings)
        AllocatedSource.objects.bulk_create(
            (AllocatedSource(transaction_id=txn_id, period=period) for txn_id in plan.sources), batch_size=5000
        )
        Allocation.objects.bulk_create(plan.allocations, batch_size=5000)
        statements = statements_build(period=period, closed_at=closed_at, allocations=plan.allocations,
                                      posted_keys={p.key for p in plan.postings}, rates=plan.rates)
        Statement.objects.bulk_create(statements, batch_size=2000)
        run.sources, run.postings, run.statements = len(plan.sources), len(plan.postings), len(statements)
        StatementRun.objects.filter(pk=run.pk).update(sources=run.sources, postings=run.postings,
                                                      statements=run.statements)
        ids = list(Statement.objects.filter(period=period).exclude(payee__email="").values_list("id", flat=True))
        transaction.on_commit(lambda: _emails_enqueue(ids))
    return run


def _emails_enqueue(statement_ids: list[int]) -> None:
    from royalties.tasks import statement_email  # the task calls royalties.services (Celery's idiom)

    for statement_id in statement_ids:
        statement_email.delay(statement_id)


def statements_close_due(*, now: datetime | None = None, after_hours: int | None = None) -> list[str]:
    """Beat task body: close, in order, every month that ended at least ROYALTIES_CLOSE_AFTER_HOURS ago (time for
    the last day's watch time to be rolled up) and is not closed yet, from the month after the last closed one, or
    from the first month with anything on a creator or payee account. Returns the months closed ("YYYY-MM").
    `after_hours` overrides the setting (the demo's seeder closes last month at once)."""
    now = now or timezone.now()
    hours = settings.ROYALTIES_CLOSE_AFTER_HOURS if after_hours is None else after_hours
    cutoff = now - timedelta(hours=hours)
    last_due = _previous_month(cutoff.date())
    latest = StatementRun.objects.order_by("-period").first()
    if latest is not None:
        month = _next_month(latest.period)
    else:
        first = billing_selectors.ledger_first_at(prefixes=["creator:", "payee:"])
        if first is None:
            return []
        month = first.date().replace(day=1)
    closed = []
    while month <= last_due:
        period_close(period=month, now=now)
        closed.append(f"{month:%Y-%m}")
        month = _next_month(month)
    return closed


def statement_emailed(*, statement_id: int, at: datetime) -> bool:
    """Record that a statement's email went out (the one column a closed statement lets change). False if it was
    recorded already."""
    return bool(Statement.objects.filter(pk=statement_id, emailed_at__isnull=True).update(emailed_at=at))
