"""Payouts' own test helpers: a creator's payee with a balance (a `royalty` transaction posted as royalties will
post it), verified accounts, a second member of staff, and the ledger's totals."""

import itertools
from datetime import UTC, datetime

import pytest
from django.db.models import Sum

from billing.services.ledger import Line, ledger_post
from payouts import services
from royalties import services as royalties_services

_keys = itertools.count(1)


@pytest.fixture
def payee(creator):
    return royalties_services.payee_for_user(user=creator)


@pytest.fixture
def approver(make_user):
    """Staff other than `staff`: the second pair of eyes."""
    return make_user("admin")


def credit(payee, currency: str, amount: int, *, creator_id: int | None = None):
    """A royalty allocation to the payee: debit the film's creator account, credit payee:<id>."""
    return ledger_post(
        key=f"test-royalty:{next(_keys)}", kind="royalty", occurred_at=datetime(2027, 1, 31, tzinfo=UTC),
        lines=[Line(f"creator:{creator_id or payee.user_id}", currency, amount),
               Line(f"payee:{payee.pk}", currency, -amount)],
        memo="test allocation",
    )


def wallet(payee, staff, *, msisdn="+675 7123 4567", rail="digicel", verify=True):
    account = services.payee_account_set(payee=payee, by=staff, kind="wallet", wallet=rail, msisdn=msisdn)
    return services.payee_account_verify(account=account, by=staff) if verify else account


def bank(payee, staff, *, number="1001234567", verify=True):
    account = services.payee_account_set(payee=payee, by=staff, kind="bank", bank="BSP", branch_code="088950",
                                         account_number=number, account_name="Demo Creator")
    return services.payee_account_verify(account=account, by=staff) if verify else account


def ledger_by_currency() -> dict[str, int]:
    """The sum of every ledger entry per currency: zero when the ledger balances."""
    from billing.models import LedgerEntry

    return {row["currency"]: row["total"] for row in
            LedgerEntry.objects.values("currency").annotate(total=Sum("amount_minor")).order_by("currency")}


def balanced() -> bool:
    return all(total == 0 for total in ledger_by_currency().values())
