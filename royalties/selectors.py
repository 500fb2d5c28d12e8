"""Royalties' reads: payees' balances (for payouts), statements (for the portal and the admin), the chain check."""

from datetime import date, datetime

from django.db.models import QuerySet

from billing import selectors as billing_selectors
from royalties import chain
from royalties.allocation import month_bounds

# A statement as the portal, the admin and the email show it (royalties/documents.py): rows, CSV, PDF, display.
from royalties.documents import statement_csv as statement_csv
from royalties.documents import statement_display as statement_display
from royalties.documents import statement_pdf as statement_pdf
from royalties.documents import statement_rows as statement_rows
from royalties.models import Payee, SplitRuleSet, Statement, StatementRun


def payee_for_user_get(*, user_id: int) -> Payee | None:
    return Payee.objects.filter(user_id=user_id).first()


def payee_get(*, payee_id: int) -> Payee | None:
    return Payee.objects.filter(pk=payee_id).first()


def payee_balances(*, payee: Payee, at: datetime | None = None) -> dict[str, int]:
    """What is owed to the payee per currency (minor units; negative: the payee owes), as the ledger holds it:
    minus the sum of the entries on payee:<id> (dated before `at`, when given). The one source of a payee's balance.
    One query."""
    balances = billing_selectors.account_balances_at(codes=[payee.ledger_code], until=at)
    return {currency: -total for (_, currency), total in sorted(balances.items())}


def payees_visible_to(*, user, creator=None) -> QuerySet[Payee]:
    """The payees whose statements `user` may read: their own payee and, when they work for a creator who lets
    them read figures (`creator`: studio's seat), that creator's own payee."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Payee.objects.none()
    user_ids = {user.pk} | ({creator.pk} if creator is not None else set())
    return Payee.objects.filter(user_id__in=user_ids)


def statements_of(*, payees: QuerySet[Payee]) -> QuerySet[Statement]:
    return Statement.objects.filter(payee__in=payees).select_related("payee").order_by(
        "-period", "payee__name", "currency")


def statement_get(*, statement_id: int) -> Statement | None:
    return Statement.objects.filter(pk=statement_id).select_related("payee").first()


def statement_for(*, statement_id: int, payees: QuerySet[Payee]) -> Statement | None:
    """A statement of one of `payees`, or None (another payee's statement answers as if it did not exist)."""
    return statements_of(payees=payees).filter(pk=statement_id).first()


def first_open_month() -> date | None:
    """The month after the last closed one (None: none closed yet). Rules that act on allocations (an advance's
    start) begin there at the earliest."""
    latest = StatementRun.objects.order_by("-period").values_list("period", flat=True).first()
    return month_bounds(latest)[1].date() if latest is not None else None


def statement_runs() -> QuerySet[StatementRun]:
    return StatementRun.objects.order_by("-period")


def split_rule_sets_of(*, film_id: int) -> QuerySet[SplitRuleSet]:
    return SplitRuleSet.objects.filter(film_id=film_id).prefetch_related("shares__payee")


def chains_verify(*, payee_id: int | None = None) -> chain.ChainReport:
    """Recompute every payee's statement chain (royalties/chain.py); the report's first break names the payee, the
    statement and the expected against the stored value."""
    return chain.chains_verify(payee_id=payee_id)
