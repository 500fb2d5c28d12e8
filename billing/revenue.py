"""Revenue figures for the creator portal and the admin dashboard, computed from the ledger (never stored aside)."""

from datetime import UTC, datetime

from django.db.models import Q, Sum
from django.db.models.functions import TruncDate, TruncMonth

from billing.models import LedgerEntry, LedgerTransaction

# What viewers paid and how it was shared: payments, refunds and the SVOD pool's split. Royalties' allocations to
# payees and payouts move money already earned (creator -> payee -> rail) and are left out of these figures.
REVENUE_KINDS = (LedgerTransaction.Kind.PAYMENT, LedgerTransaction.Kind.REFUND, LedgerTransaction.Kind.SVOD_SPLIT)
GROUPS = {"film": "film_id", "model": "transaction__model", "currency": "currency",
          "period": "period", "kind": "transaction__kind", "day": "day"}


def revenue_rows(
    *,
    group_by: tuple[str, ...] = ("film", "model", "currency", "period"),
    creator_id: int | None = None,
    film_id: int | None = None,
    currency: str | None = None,
    model: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[dict]:
    """Net revenue by film, model (tvod, pvod, ppv, collector, festival, svod), currency and month (or UTC "day").

    With `creator_id`: what that creator's films earned for their rights holders (their account's credits less
    reversals, SVOD splits included; royalties' moves of it on to the payees are not subtracted).
    Without: the platform's gross (`gross_minor`: what viewers paid less refunds), `fees_minor`, `creator_minor`
    (owed to creators, SVOD pool included) and `platform_minor` (the platform's share less nothing: fees are
    reported apart). Amounts are integer minor units."""
    unknown = set(group_by) - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown revenue grouping {sorted(unknown)}")
    rows = LedgerEntry.objects.filter(transaction__kind__in=REVENUE_KINDS).annotate(
        period=TruncMonth("transaction__occurred_at")
    )
    if "day" in group_by:  # the studio's daily series (UTC days)
        rows = rows.annotate(day=TruncDate("transaction__occurred_at", tzinfo=UTC))
    if since:
        rows = rows.filter(transaction__occurred_at__gte=since)
    if until:
        rows = rows.filter(transaction__occurred_at__lt=until)
    if film_id:
        rows = rows.filter(film_id=film_id)
    if currency:
        rows = rows.filter(currency=currency)
    if model:
        rows = rows.filter(transaction__model=model)
    fields = [GROUPS[g] for g in group_by]
    if creator_id is not None:
        rows = rows.filter(account__code=f"creator:{creator_id}")
        out = rows.values(*fields).annotate(earned=Sum("amount_minor")).order_by(*fields)
        return [_rename({**{k: v for k, v in row.items() if k != "earned"}, "earned_minor": -row["earned"]})
                for row in out]
    out = (
        rows.values(*fields)
        .annotate(
            gross=Sum("amount_minor", filter=Q(account__code__startswith="provider:") | Q(
                account__code__startswith="fees:")),
            fees=Sum("amount_minor", filter=Q(account__code__startswith="fees:")),
            creators=Sum("amount_minor", filter=Q(account__code__startswith="creator:") | Q(
                account__code="svod:pool")),
            platform=Sum("amount_minor", filter=Q(account__code="platform:revenue")),
        )
        .order_by(*fields)
    )
    return [
        _rename({
            **{k: v for k, v in row.items() if k not in ("gross", "fees", "creators", "platform")},
            "gross_minor": row["gross"] or 0,
            "fees_minor": row["fees"] or 0,
            "creator_minor": -(row["creators"] or 0),
            "platform_minor": -(row["platform"] or 0),
        })
        for row in out
    ]


def _rename(row: dict) -> dict:
    renames = {"film_id": "film_id", "transaction__model": "model", "transaction__kind": "kind"}
    out = {renames.get(k, k): v for k, v in row.items()}
    if "period" in out and out["period"] is not None:
        out["period"] = out["period"].date().isoformat()[:7]
    return out
