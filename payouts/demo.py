"""Payouts' demo: creator@wans.demo is paid to a verified CellMoni wallet (simulated by the payouts sandbox, so the
demo works offline), and a payout run awaits approval, prepared by admin@wans.demo from the payee balances there
are; finance@wans.demo (a second member of staff) approves and executes it in the admin.

Balances come from royalties' statements (its seeder runs before this one). Where none exists (royalties' statements
not there, or nothing closed yet), the demo creator's own ledger balance is moved to their payee in one `royalty`
transaction, as royalties would: otherwise there would be nothing to pay out. Safe to run again: one account, one
allocation (by key), one run waiting."""

from datetime import UTC, datetime

from accounts import selectors as accounts_selectors
from billing import selectors as billing_selectors
from billing.services.ledger import Line, ledger_post
from core.money import money_display
from payouts import selectors, services
from payouts.errors import NothingToPay
from payouts.models import PayoutRun
from royalties import services as royalties_services

WALLET = "+675 7012 3456"  # the sandbox pays any number not ending 000 or 999


def _allocate_if_nothing_owed(*, creator, payee) -> str:
    """Move the demo creator's ledger balance (their films' share) to their payee, once, if no payee is owed anything
    and nothing has been paid out yet."""
    if selectors.payees_owed() or selectors.payouts_of_payee(payee_id=payee.pk).exists():
        return "payee balances from royalties: kept as they are"
    owed = {currency: -total for currency, total in
            billing_selectors.account_balances(code=f"creator:{creator.pk}").items() if total < 0}
    if not owed:
        return "no creator balance to allocate"
    lines = [line for currency, amount in sorted(owed.items()) for line in (
        Line(f"creator:{creator.pk}", currency, amount), Line(f"payee:{payee.pk}", currency, -amount))]
    ledger_post(key=f"payouts-demo:allocation:{payee.pk}", kind="royalty", lines=lines,
                occurred_at=datetime.now(tz=UTC), memo="demo: the creator's share to their own payee")
    return "allocated the demo creator's balance to their payee: " + ", ".join(
        money_display(amount, currency, empty=f"{currency} {amount}") for currency, amount in sorted(owed.items()))


def seed() -> list[str]:
    creator = accounts_selectors.user_by_email(email="creator@wans.demo")
    admin = accounts_selectors.user_by_email(email="admin@wans.demo")
    if creator is None or admin is None:
        return ["no demo accounts: nothing to add"]
    payee = royalties_services.payee_for_user(user=creator)
    lines = []
    account = selectors.active_account_for(payee_id=payee.pk)
    if account is None:
        account = services.payee_account_set(payee=payee, by=creator, kind="wallet", wallet="digicel", msisdn=WALLET)
    if not account.verified and account.kind != "stripe":
        account = services.payee_account_verify(account=account, by=admin)
    lines.append(f"creator@wans.demo is paid to {account.masked} ({account.get_status_display().lower()})")
    lines.append(_allocate_if_nothing_owed(creator=creator, payee=payee))
    waiting = PayoutRun.objects.filter(status__in=[PayoutRun.Status.PREPARED, PayoutRun.Status.APPROVED,
                                                   PayoutRun.Status.EXECUTING]).order_by("id").first()
    if waiting is None:
        try:
            waiting = services.payout_run_prepare(by=admin)
        except NothingToPay as refused:
            reasons = sorted({row["why"] for row in refused.extra.get("skipped", [])})
            return [*lines, "no payout run: nobody is due a payout (" + "; ".join(reasons) + ")"]
    totals = ", ".join(money_display(row["amount_minor"], row["currency"]) + f" by {row['rail']}"
                       for row in selectors.run_totals(run=waiting))
    lines.append(f"payout run {waiting.reference} {waiting.get_status_display().lower()} ({totals}), prepared by "
                 f"{waiting.prepared_by.email}: finance@wans.demo approves and executes it in the admin")
    return lines
