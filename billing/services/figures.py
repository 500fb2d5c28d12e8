"""Sales written straight into the ledger, for the studio's demo data and its benchmark: the same lines a paid
payment posts (ledger.payment_lines), without a Payment row, since nothing is granted to anyone."""

from datetime import datetime

from billing.models import LedgerTransaction
from billing.services.ledger import Line, ledger_post, sale_lines


def ledger_sale_record(
    *,
    key: str,
    creator_id: int,
    film_id: int,
    model: str,
    currency: str,
    gross_minor: int,
    fee_minor: int,
    occurred_at: datetime,
    provider: str = "bsp",
) -> LedgerTransaction:
    """Post one sale of a film (gross paid, the provider's fee, the platform's and the rights holders' shares of the
    net: ledger.sale_lines, the rule a paid payment posts by), once per `key` (ledger_post is idempotent by key)."""
    return ledger_post(
        key=key,
        kind=LedgerTransaction.Kind.PAYMENT,
        lines=sale_lines(provider=provider, currency=currency, gross=gross_minor, fee=fee_minor,
                         creator_id=creator_id, film_id=film_id),
        occurred_at=occurred_at,
        model=model,
        film_id=film_id,
        memo=f"demo sale {key}",
    )


def svod_shares_record(
    *,
    key: str,
    creator_id: int,
    currency: str,
    parts: dict[int, int],
    occurred_at: datetime,
    provider: str = "bsp",
) -> LedgerTransaction | None:
    """Post films' parts of a month's SVOD pool (film id -> minor units) to their creator, once per `key`: money held
    by the provider, owed to the creator (the pool it passed through is left out, so the demo leaves no pool
    balance). For demo data only: the real split is svod_pool_split_run."""
    parts = {film_id: amount for film_id, amount in parts.items() if amount > 0}
    if not parts:
        return None
    lines = [Line(f"provider:{provider}", currency, sum(parts.values()))]
    lines += [Line(f"creator:{creator_id}", currency, -amount, film_id) for film_id, amount in parts.items()]
    return ledger_post(
        key=key, kind=LedgerTransaction.Kind.SVOD_SPLIT, lines=lines, occurred_at=occurred_at, model="svod",
        memo=f"demo SVOD shares {key}",
    )
