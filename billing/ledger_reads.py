"""Reads of the ledger for the apps above billing (royalties' allocation and statements, payouts' balances): by
account code, currency and time, each one query. Exposed through billing.selectors."""

from datetime import datetime

from django.db.models import Q, QuerySet, Sum

from billing.models import LedgerEntry, LedgerTransaction

# The transactions that put money on a film's creator account: what royalties allocates to the film's payees.
EARNING_KINDS = (LedgerTransaction.Kind.PAYMENT, LedgerTransaction.Kind.REFUND, LedgerTransaction.Kind.SVOD_SPLIT)


def creator_entries(*, until: datetime, exclude_transactions: QuerySet | None = None) -> list[dict]:
    """Every entry on a `creator:<user id>` account from a payment, a refund or an SVOD split dated before `until`,
    leaving out the transactions `exclude_transactions` (a values queryset of transaction ids: those already
    allocated). Each: entry id, transaction_id, kind, occurred_at, origin_at (a refund: when the payment it reverses
    was made; otherwise occurred_at), model, creator_id, film_id, currency, amount_minor (credit negative) and
    territory (the payment's, or None). One query, ordered by transaction time then id."""
    rows = LedgerEntry.objects.filter(
        account__code__startswith="creator:", transaction__kind__in=EARNING_KINDS, transaction__occurred_at__lt=until
    )
    if exclude_transactions is not None:
        rows = rows.exclude(transaction_id__in=exclude_transactions)
    values = rows.order_by("transaction__occurred_at", "id").values_list(
        "id", "transaction_id", "transaction__kind", "transaction__occurred_at", "transaction__reverses__occurred_at",
        "transaction__model", "account__code", "film_id", "currency", "amount_minor", "transaction__payment__territory",
    )
    return [
        {
            "id": entry_id, "transaction_id": txn_id, "kind": kind, "occurred_at": at, "origin_at": reversed_at or at,
            "model": model, "creator_id": int(code.partition(":")[2]), "film_id": film_id, "currency": currency,
            "amount_minor": amount, "territory": territory or None,
        }
        for entry_id, txn_id, kind, at, reversed_at, model, code, film_id, currency, amount, territory in values
    ]


def account_balances_at(*, codes: list[str] | None = None, prefix: str | None = None,
                        until: datetime | None = None) -> dict[tuple[str, str], int]:
    """{(account code, currency): sum of entries} for the accounts named (or starting with `prefix`), over entries
    dated before `until` (all when None). Debit positive, credit negative; zero sums left out. One GROUP BY."""
    rows = LedgerEntry.objects.all()
    if codes is not None:
        rows = rows.filter(account__code__in=codes)
    if prefix is not None:
        rows = rows.filter(account__code__startswith=prefix)
    if until is not None:
        rows = rows.filter(transaction__occurred_at__lt=until)
    totals = rows.values_list("account__code", "currency").annotate(total=Sum("amount_minor")).order_by()
    return {(code, currency): total for code, currency, total in totals if total}


def account_entries(*, since: datetime, until: datetime, codes: list[str] | None = None,
                    prefix: str | None = None, kinds: list[str] | None = None) -> list[dict]:
    """Entries on the accounts named (or starting with `prefix`) dated since <= at < until: code, currency,
    amount_minor, film_id, and their transaction's key, kind, model, memo, occurred_at. One query, in time order."""
    rows = LedgerEntry.objects.filter(transaction__occurred_at__gte=since, transaction__occurred_at__lt=until)
    if codes is not None:
        rows = rows.filter(account__code__in=codes)
    if prefix is not None:
        rows = rows.filter(account__code__startswith=prefix)
    if kinds is not None:
        rows = rows.filter(transaction__kind__in=kinds)
    return [
        {"code": code, "currency": currency, "amount_minor": amount, "film_id": film_id, "key": key, "kind": kind,
         "model": model, "memo": memo, "occurred_at": at}
        for code, currency, amount, film_id, key, kind, model, memo, at in rows.order_by(
            "transaction__occurred_at", "id"
        ).values_list("account__code", "currency", "amount_minor", "film_id", "transaction__key", "transaction__kind",
                      "transaction__model", "transaction__memo", "transaction__occurred_at")
    ]


def ledger_totals(*, until: datetime | None = None, kinds: list[str] | None = None) -> dict[tuple[str, str], int]:
    """{(account prefix, currency): sum} over the whole ledger (before `until`): provider, fees, platform, creator,
    svod, payee, tax, clearing, cash. For reconciling totals (royalties' property tests, the bench). One query."""
    rows = LedgerEntry.objects.all()
    if until is not None:
        rows = rows.filter(transaction__occurred_at__lt=until)
    if kinds is not None:
        rows = rows.filter(transaction__kind__in=kinds)
    out: dict[tuple[str, str], int] = {}
    for code, currency, total in rows.values_list("account__code", "currency").annotate(
        total=Sum("amount_minor")
    ).order_by():
        key = (code.partition(":")[0], currency)
        out[key] = out.get(key, 0) + total
    return {key: total for key, total in out.items() if total}


def ledger_first_at(*, prefixes: list[str]) -> datetime | None:
    """When the first entry on an account starting with one of `prefixes` is dated (None: no such entry)."""
    condition = Q()
    for prefix in prefixes:
        condition |= Q(account__code__startswith=prefix)
    first = LedgerEntry.objects.filter(condition).order_by("transaction__occurred_at").values_list(
        "transaction__occurred_at", flat=True).first()
    return first
