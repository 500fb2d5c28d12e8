"""Payees with money owed and payout accounts, for the tests of payouts and of the pages that show them (studio,
console): a balance is a `royalty` ledger transaction as royalties posts it (the film creator's account debited,
payee:<id> credited), accounts are made and verified through payouts' services."""

import itertools
from datetime import UTC, datetime

from django.apps import apps
from django.db.models import Sum

from billing.services.ledger import Line, ledger_post
from payouts import services as payouts_services

_keys = itertools.count(1)


def payee_credit(payee, currency: str, amount: int, *, creator_id: int | None = None):
    """Owe `payee` `amount` more (a negative amount: an adjustment taking some back)."""
    return ledger_post(
        key=f"test-royalty:{next(_keys)}", kind="royalty", occurred_at=datetime(2027, 1, 31, tzinfo=UTC),
        lines=[Line(f"creator:{creator_id or payee.user_id}", currency, amount),
               Line(f"payee:{payee.pk}", currency, -amount)],
        memo="test allocation",
    )


def payee_wallet(payee, staff, *, msisdn="+675 7123 4567", rail="digicel", verify=True):
    account = payouts_services.payee_account_set(payee=payee, by=staff, kind="wallet", wallet=rail, msisdn=msisdn)
    return payouts_services.payee_account_verify(account=account, by=staff) if verify else account


def payee_bank(payee, staff, *, number="1001234567", verify=True):
    account = payouts_services.payee_account_set(payee=payee, by=staff, kind="bank", bank="BSP",
                                                 branch_code="088950", account_number=number,
                                                 account_name="Demo Creator")
    return payouts_services.payee_account_verify(account=account, by=staff) if verify else account


def ledger_transactions():
    """billing's LedgerTransaction rows (through the app registry: tests read another app's tables this way)."""
    return apps.get_model("billing", "LedgerTransaction").objects


def ledger_balances() -> dict[str, dict[str, int]]:
    """{account code: {currency: balance}} over the whole ledger."""
    rows = (apps.get_model("billing", "LedgerEntry").objects.values("account__code", "currency")
            .annotate(total=Sum("amount_minor")))
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["total"]:
            out.setdefault(row["account__code"], {})[row["currency"]] = row["total"]
    return out


def ledger_by_currency() -> dict[str, int]:
    """The sum of every ledger entry per currency: zero in each when the ledger balances."""
    rows = apps.get_model("billing", "LedgerEntry").objects.values("currency").annotate(total=Sum("amount_minor"))
    return {row["currency"]: row["total"] for row in rows.order_by("currency")}


def ledger_balanced() -> bool:
    return all(total == 0 for total in ledger_by_currency().values())
