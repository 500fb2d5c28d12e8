"""Payouts' own fixtures: the creator's payee and a second member of staff. Balances, accounts and ledger reads come
from core.testing.payees (shared with the studio's and console's tests)."""

import pytest

from royalties import services as royalties_services


@pytest.fixture
def payee(creator):
    return royalties_services.payee_for_user(user=creator)


@pytest.fixture
def approver(make_user):
    """Staff other than `staff`: the second pair of eyes."""
    return make_user("admin")
