"""A closed month's statements: one per payee and currency with anything to say (an opening or closing balance, or
a movement in the month), built from the month's Allocation rows (earnings, adjustments, withholding, guarantees)
and the ledger (payouts, anything else posted on the payee's account, the balances), and chained (chain.py).

From the payee's side (positive: owed to them):
    closing = opening + earnings + adjustments - withholding + payouts
with `opening` the previous statement's closing in that currency (0 for the first), `closing` the balance of
payee:<id> at the month's end as the ledger holds it, and `adjustments` also holding what was posted on the account
dated before the month but after the last statement (`late_minor`) and postings of other kinds (`other`)."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from billing import selectors as billing_selectors
from royalties import chain
from royalties.allocation import month_bounds
from royalties.models import Advance, Allocation, Payee, Statement
from royalties.recoupment import recouped_to_date

PAYOUT_KINDS = ("payout", "payout_back")


def _payee_id(code: str) -> int:
    return int(code.partition(":")[2])


def _titles(period: date) -> dict[int, str]:
    """Titles of the films allocated in the month's close (its rows are saved), through the allocation's film."""
    return dict(Allocation.objects.filter(period=period, film__isnull=False).values_list("film_id", "film__title")
                .distinct().order_by())


def _rates(day: date) -> dict:
    return billing_selectors.exchange_rates_on(day=day)


def statements_build(*, period: date, closed_at: datetime, allocations: list[Allocation], posted_keys: set[str],
                     rates: dict[int, int]) -> list[Statement]:
    """The month's statements, unsaved, chained after each payee's last statement. `allocations`: this close's
    Allocation rows (saved); `posted_keys`: the ledger keys of this close's postings; `rates`: payee id -> the
    withholding basis points used."""
    start, end = month_bounds(period)
    period = start.date()
    at_end = billing_selectors.account_balances_at(prefix="payee:", until=end)
    at_start = billing_selectors.account_balances_at(prefix="payee:", until=start)
    moves = billing_selectors.account_entries(prefix="payee:", since=start, until=end)
    last = {}  # (payee, currency) -> closing of the last statement
    chain_tail = {}  # payee -> (sequence, hash)
    for payee_id, currency, closing, sequence, hash_ in Statement.objects.order_by("payee_id", "sequence") \
            .values_list("payee_id", "currency", "closing_minor", "sequence", "hash"):
        last[(payee_id, currency)] = closing
        chain_tail[payee_id] = (sequence, hash_)
    by_payee: dict[tuple, dict] = defaultdict(lambda: {"alloc": [], "moves": []})
    for allocation in allocations:
        by_payee[(allocation.payee_id, allocation.currency)]["alloc"].append(allocation)
    for move in moves:
        by_payee[(_payee_id(move["code"]), move["currency"])]["moves"].append(move)
    keys = set(by_payee) | {(_payee_id(code), cur) for code, cur in at_end} | {
        (_payee_id(code), cur) for code, cur in at_start} | {key for key, closing in last.items() if closing}
    payees = Payee.objects.in_bulk({payee_id for payee_id, _ in keys})
    titles = _titles(period)
    fx = _rates((end - timedelta(days=1)).date())
    built = []
    for payee_id, currency in sorted(keys):
        payee = payees[payee_id]
        data = by_payee[(payee_id, currency)]
        opening = last.get((payee_id, currency), 0)
        closing = -at_end.get((payee.ledger_code, currency), 0)
        if not data["alloc"] and not data["moves"] and not opening and not closing:
            continue
        lines, totals = _lines(payee=payee, data=data, titles=titles, posted_keys=posted_keys,
                               rate_bps=rates.get(payee_id))
        late = -at_start.get((payee.ledger_code, currency), 0) - opening
        lines["late_minor"] = late
        statement = Statement(
            payee_id=payee_id, period=period, currency=currency, opening_minor=opening,
            earnings_minor=totals["earnings"], adjustments_minor=totals["adjustments"] + late,
            withholding_minor=totals["withholding"], payouts_minor=totals["payouts"], closing_minor=closing,
            lines=lines, closed_at=closed_at,
        )
        if opening + statement.earnings_minor + statement.adjustments_minor - statement.withholding_minor + \
                statement.payouts_minor != closing:  # every entry on the account is in one of the lines
            raise AssertionError(f"statement of payee {payee_id} {period:%Y-%m} {currency} does not reconcile")
        if payee.currency and payee.currency != currency:
            statement.display_currency = payee.currency
            statement.rates_on = (end - timedelta(days=1)).date()
            statement.rate = str(fx.get(currency, ""))
            statement.display_rate = str(fx.get(payee.currency, ""))
        sequence, previous = chain_tail.get(payee_id, (0, chain.GENESIS))
        statement.sequence, statement.previous_hash = sequence + 1, previous
        statement.hash = chain.hash_of(statement)
        chain_tail[payee_id] = (statement.sequence, statement.hash)
        built.append(statement)
    return built


def _lines(*, payee: Payee, data: dict, titles: dict, posted_keys: set[str], rate_bps: int | None):
    earnings: dict[tuple, dict] = defaultdict(lambda: {"share_minor": 0, "recouped_minor": 0})
    adjustments: dict[tuple, int] = defaultdict(int)
    guarantees: dict[int, int] = defaultdict(int)
    recoupment: dict[int, dict] = {}
    withheld = 0
    for a in data["alloc"]:
        if a.kind == Allocation.Kind.WITHHOLDING:
            withheld += a.amount_minor
        elif a.section == Allocation.Section.MG:
            guarantees[a.film_id] += a.amount_minor
        elif a.section == Allocation.Section.ADJUSTMENT:
            adjustments[(a.film_id or 0, a.model)] += a.amount_minor
        else:
            row = earnings[(a.film_id or 0, a.model)]
            row["share_minor" if a.kind == Allocation.Kind.SHARE else "recouped_minor"] += a.amount_minor
        if a.kind == Allocation.Kind.RECOUP:
            entry = recoupment.setdefault(a.advance_id, {"advance_id": a.advance_id, "film_id": a.film_id,
                                                        "title": titles.get(a.film_id, ""), "recouped_minor": 0})
            entry["recouped_minor"] += a.amount_minor
    payouts, other = [], []
    for move in data["moves"]:
        amount = -move["amount_minor"]
        row = {"key": move["key"], "kind": move["kind"], "occurred_at": move["occurred_at"].isoformat(),
               "memo": move["memo"], "amount_minor": amount}
        if move["kind"] in PAYOUT_KINDS:
            payouts.append(row)
        elif move["key"] not in posted_keys:
            other.append(row)
    if recoupment:
        _recoupment_to_date(recoupment)
    lines = {
        "payee": {"id": payee.pk, "name": payee.name, "country": str(payee.country)},
        "earnings": [
            {"film_id": film_id or None, "title": titles.get(film_id, ""), "model": model, **row,
             "amount_minor": row["share_minor"] + row["recouped_minor"]}
            for (film_id, model), row in sorted(earnings.items())
        ],
        "minimum_guarantee": [
            {"film_id": film_id, "title": titles.get(film_id, ""), "amount_minor": amount}
            for film_id, amount in sorted(guarantees.items())
        ],
        "adjustments": [
            {"film_id": film_id or None, "title": titles.get(film_id, ""), "model": model, "amount_minor": amount}
            for (film_id, model), amount in sorted(adjustments.items())
        ],
        "other": other,
        "withholding": {"rate_bps": rate_bps or 0, "exempt": payee.withholding_exempt, "amount_minor": withheld},
        "payouts": payouts,
        "recoupment": [recoupment[key] for key in sorted(recoupment)],
    }
    totals = {
        "earnings": sum(r["amount_minor"] for r in lines["earnings"]) + sum(guarantees.values()),
        "adjustments": sum(adjustments.values()) + sum(r["amount_minor"] for r in other),
        "withholding": withheld,
        "payouts": sum(r["amount_minor"] for r in payouts),
    }
    return lines, totals


def _recoupment_to_date(recoupment: dict[int, dict]) -> None:
    """Each advance's amount, recouped to date (this close included: its rows are saved) and still outstanding."""
    advances = Advance.objects.in_bulk(list(recoupment))
    to_date = recouped_to_date(advance_ids=list(recoupment))
    for advance_id, entry in recoupment.items():
        advance = advances[advance_id]
        entry["advance_minor"] = advance.amount_minor
        entry["recouped_to_date_minor"] = to_date.get(advance_id, 0)
        entry["outstanding_minor"] = advance.amount_minor - to_date.get(advance_id, 0)
