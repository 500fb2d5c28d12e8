"""The monthly allocation: every creator-account entry not yet allocated (billing's payments, refunds and SVOD pool
splits dated before the month's end) is moved on to the film's payees by one royalty posting per film, creator,
currency, model and section, with recoupment first, then the split, then withholding; then the platform tops up
minimum guarantees. Pure planning: `allocation_plan` reads and returns what to write; services.period_close writes it
(billing.services.ledger_post_many, then the Allocation and AllocatedSource rows) in the close's transaction.

Ledger flows (debit positive, credit negative; every posting balances per currency):
- royalty / adjustment:  creator:<uid> +A (the film's pool moved out)   payee:<id> -(share + recoup - withheld) each
                         tax:withheld -(sum withheld)
- royalty (guarantee):   platform:revenue +top-up                          payee:<id> -(top-up - withheld)
                         tax:withheld -withheld
A negative pool (refunds beyond sales) posts the mirror: the payees give back."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model

from billing import selectors as billing_selectors
from billing import services as billing_services
from royalties import splits
from royalties.arithmetic import FULL, largest_remainder, portion
from royalties.models import (
    AllocatedSource,
    Allocation,
    MinimumGuarantee,
    Payee,
    WithholdingRate,
)
from royalties.payees import payee_for_user
from royalties.recoupment import Recoupment

PLATFORM = "platform:revenue"
TAX = "tax:withheld"
EARNINGS, ADJUSTMENT, MG = Allocation.Section.EARNINGS, Allocation.Section.ADJUSTMENT, Allocation.Section.MG
KIND = {EARNINGS: "royalty", ADJUSTMENT: "adjustment", MG: "royalty"}
KEY_PREFIX = {EARNINGS: "royalty", ADJUSTMENT: "royalty-adj", MG: "royalty-mg"}


def month_bounds(period: date) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's first instant (UTC)."""
    start = period.replace(day=1)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return (datetime.combine(start, datetime.min.time(), tzinfo=UTC),
            datetime.combine(following, datetime.min.time(), tzinfo=UTC))


@dataclass
class _Group:
    """The entries of one royalty posting: pool amounts (positive: to share out) per rule set id (None: no rule)."""

    section: str
    creator_id: int
    film_id: int | None
    currency: str
    model: str
    parts: dict = field(default_factory=lambda: defaultdict(int))

    def key(self, period: date) -> str:
        parts = [f"{period:%Y-%m}", self.film_id or 0, self.creator_id, self.currency, self.model or "-"]
        return ":".join([KEY_PREFIX[self.section], *map(str, parts)])


@dataclass
class Plan:
    """What a month's close writes: ledger postings, allocation rows and the source transactions allocated."""

    postings: list = field(default_factory=list)
    allocations: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    payees: dict = field(default_factory=dict)  # id -> Payee, every payee allocated to
    rates: dict = field(default_factory=dict)  # payee id -> withholding basis points used


class _Withholding:
    """Rates in force on the month's last day, per payee (0 when exempt or the country has none)."""

    def __init__(self, *, day: date):
        self.by_country: dict[str, int] = {}
        for country, rate in WithholdingRate.objects.filter(valid_from__lte=day).order_by("country", "valid_from") \
                .values_list("country", "rate_bps"):
            self.by_country[str(country)] = rate  # ascending: the last seen is in force

    def rate(self, payee: Payee) -> int:
        return 0 if payee.withholding_exempt else self.by_country.get(str(payee.country), 0)


def own_payees(*, creator_ids: set[int]) -> dict[int, int]:
    """{creator user id: their own payee's id}, made on first need (payees.payee_for_user)."""
    found = dict(Payee.objects.filter(user_id__in=creator_ids).values_list("user_id", "id"))
    for user in get_user_model().objects.filter(pk__in=creator_ids - set(found)).order_by("pk"):
        found[user.pk] = payee_for_user(user=user).pk
    return found


def allocation_plan(*, period: date, entries: list[dict] | None = None) -> Plan:
    """Plan the close of `period`'s month (see the module docstring). `entries`: billing.selectors.creator_entries
    not yet allocated, dated before the month's end (read here when not given). Reads only."""
    start, end = month_bounds(period)
    period = start.date()
    if entries is None:
        entries = billing_selectors.creator_entries(
            until=end, exclude_transactions=AllocatedSource.objects.values("transaction_id")
        )
    plan = Plan()
    plan.sources = sorted({entry["transaction_id"] for entry in entries})
    film_ids = {entry["film_id"] for entry in entries if entry["film_id"]}
    guarantees = list(MinimumGuarantee.objects.filter(starts_on__lt=end.date()).exclude(ends_on__lte=period)
                      .order_by("film_id", "payee_id", "currency", "id"))
    film_ids |= {g.film_id for g in guarantees}
    rules = splits.rule_sets_for(film_ids=film_ids)
    groups: dict[tuple, _Group] = {}
    no_rule_creators = set()
    for entry in entries:
        section = ADJUSTMENT if entry["origin_at"] < start else EARNINGS
        rule = None
        if entry["film_id"]:
            rule = splits.rule_set_for(rules.get(entry["film_id"], []), model=entry["model"],
                                       territory=entry["territory"], day=entry["origin_at"].astimezone(UTC).date())
        if rule is None:
            no_rule_creators.add(entry["creator_id"])
        group_key = (section, entry["film_id"] or 0, entry["creator_id"], entry["currency"], entry["model"])
        group = groups.get(group_key)
        if group is None:
            group = groups[group_key] = _Group(section, entry["creator_id"], entry["film_id"], entry["currency"],
                                               entry["model"])
        group.parts[rule.id if rule else None] -= entry["amount_minor"]  # a credit to the creator is pool to share
    rule_by_id = {rule.id: rule for sets in rules.values() for rule in sets}
    own = own_payees(creator_ids=no_rule_creators)
    recoupment = Recoupment(film_ids=film_ids, end=end)
    # Gross to each payee per (film, currency) in this close, for the guarantees.
    earned: dict[tuple, int] = defaultdict(int)
    raw: list[tuple[_Group, dict]] = []
    # Adjustments (older sales) recoup before this month's earnings; within a section, by film, currency, model.
    for group_key in sorted(groups, key=lambda k: (k[0] != ADJUSTMENT, k[1:])):
        group = groups[group_key]
        to_payee: dict[int, dict] = defaultdict(lambda: {"share": 0, "recoup": 0, "advances": defaultdict(int)})
        for rule_id in sorted(group.parts, key=lambda r: (r is not None, r or 0)):
            remaining = group.parts[rule_id]
            for advance, take in recoupment.take(film_id=group.film_id, currency=group.currency, amount=remaining):
                remaining -= take
                to_payee[advance.payee_id]["recoup"] += take
                to_payee[advance.payee_id]["advances"][advance.pk] += take
            if not remaining:
                continue
            shares = rule_by_id[rule_id].shares if rule_id is not None else ((own[group.creator_id], FULL),)
            for payee_id, part in largest_remainder(remaining, dict(shares)).items():
                to_payee[payee_id]["share"] += part
        for payee_id, got in to_payee.items():
            earned[(group.film_id, group.currency, payee_id)] += got["share"] + got["recoup"]
        raw.append((group, to_payee))
    payee_ids = {payee_id for _, to_payee in raw for payee_id in to_payee} | {g.payee_id for g in guarantees}
    plan.payees = Payee.objects.in_bulk(payee_ids)
    withholding = _Withholding(day=(end - timedelta(days=1)).date())
    plan.rates = {payee_id: withholding.rate(payee) for payee_id, payee in plan.payees.items()}
    at = end - timedelta(microseconds=1)
    for group, to_payee in raw:
        _post_group(plan, period=period, at=at, group=group, to_payee=to_payee)
    for guarantee in guarantees:
        top_up = guarantee.amount_minor - earned[(guarantee.film_id, guarantee.currency, guarantee.payee_id)]
        if top_up > 0:
            _post_guarantee(plan, period=period, at=at, guarantee=guarantee, top_up=top_up)
    return plan


def _allocation(plan: Plan, *, period: date, key: str, payee_id: int, film_id, model: str, currency: str,
                section: str, kind: str, amount: int, advance_id: int | None = None) -> None:
    if amount:
        plan.allocations.append(Allocation(
            period=period, ledger_key=key, payee_id=payee_id, film_id=film_id, model=model, currency=currency,
            section=section, kind=kind, amount_minor=amount, advance_id=advance_id,
        ))


def _post_group(plan: Plan, *, period: date, at: datetime, group: _Group, to_payee: dict) -> None:
    key, currency, film_id = group.key(period), group.currency, group.film_id
    pool = sum(group.parts.values())
    lines = [billing_services.Line(f"creator:{group.creator_id}", currency, pool, film_id)]
    withheld_total = 0
    for payee_id in sorted(to_payee):
        got = to_payee[payee_id]
        gross = got["share"] + got["recoup"]
        withheld = portion(gross, plan.rates[payee_id])
        withheld_total += withheld
        lines.append(billing_services.Line(f"payee:{payee_id}", currency, -(gross - withheld), film_id))
        common = {"period": period, "key": key, "payee_id": payee_id, "film_id": film_id, "model": group.model,
                  "currency": currency, "section": group.section}
        _allocation(plan, **common, kind=Allocation.Kind.SHARE, amount=got["share"])
        for advance_id, amount in sorted(got["advances"].items()):
            _allocation(plan, **common, kind=Allocation.Kind.RECOUP, amount=amount, advance_id=advance_id)
        _allocation(plan, **common, kind=Allocation.Kind.WITHHOLDING, amount=withheld)
    lines.append(billing_services.Line(TAX, currency, -withheld_total, film_id))
    if any(line.amount_minor for line in lines):
        plan.postings.append(billing_services.Posting(
            key=key, kind=KIND[group.section], lines=lines, occurred_at=at, model=group.model, film_id=film_id,
            memo=f"royalties {period:%Y-%m}: film {film_id or '-'} {group.model or '-'} {group.section}",
        ))


def _post_guarantee(plan: Plan, *, period: date, at: datetime, guarantee: MinimumGuarantee, top_up: int) -> None:
    key = f"{KEY_PREFIX[MG]}:{period:%Y-%m}:{guarantee.film_id}:{guarantee.payee_id}:{guarantee.currency}"
    withheld = portion(top_up, plan.rates[guarantee.payee_id])
    currency, film_id = guarantee.currency, guarantee.film_id
    plan.postings.append(billing_services.Posting(
        key=key, kind=KIND[MG], occurred_at=at, film_id=film_id,
        lines=[
            billing_services.Line(PLATFORM, currency, top_up, film_id),
            billing_services.Line(f"payee:{guarantee.payee_id}", currency, -(top_up - withheld), film_id),
            billing_services.Line(TAX, currency, -withheld, film_id),
        ],
        memo=f"royalties {period:%Y-%m}: minimum guarantee on film {film_id}",
    ))
    common = {"period": period, "key": key, "payee_id": guarantee.payee_id, "film_id": film_id, "model": "",
              "currency": currency, "section": MG}
    _allocation(plan, **common, kind=Allocation.Kind.MG, amount=top_up)
    _allocation(plan, **common, kind=Allocation.Kind.WITHHOLDING, amount=withheld)
