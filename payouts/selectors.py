"""Payouts' reads: what payees are owed (from billing's ledger), whether each balance can be paid and when, runs and
their totals, and the reconciliation of a run."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.files.storage import storages
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from billing import selectors as billing_selectors
from payouts.models import PayeeAccount, PayeeThreshold, Payout, PayoutHold, PayoutRun
from payouts.rails.registry import RAILS, rail_info

PAYEE_PREFIX = "payee:"


# --- Balances: the ledger's, read through billing (royalties.selectors.payee_balances will answer the same) --------


def payee_balances(*, payee_id: int) -> dict[str, int]:
    """{currency: what the payee is owed}, the negated balance of the ledger account `payee:<id>` (a liability:
    credits are what is owed). A currency where the payee owes (a refund after a payout) is negative."""
    return {currency: -total for currency, total in
            billing_selectors.account_balances(code=f"{PAYEE_PREFIX}{payee_id}").items()}


def payees_owed() -> dict[int, dict[str, int]]:
    """{payee id: {currency: owed}} of every payee account in the ledger, in one query."""
    owed: dict[int, dict[str, int]] = {}
    for code, balances in billing_selectors.account_balances_by_prefix(prefix=PAYEE_PREFIX).items():
        payee_id = code.removeprefix(PAYEE_PREFIX)
        if payee_id.isdigit():
            owed[int(payee_id)] = {currency: -total for currency, total in balances.items()}
    return owed


# --- Thresholds, holds, accounts ------------------------------------------------------------------------------------


def thresholds_for(*, payee_ids: list[int] | None = None) -> dict[int | None, dict[str, int]]:
    """{None: PAYOUTS_THRESHOLDS, payee id: its own thresholds} (only payees with their own are keyed)."""
    found: dict[int | None, dict[str, int]] = {None: dict(settings.PAYOUTS_THRESHOLDS)}
    rows = PayeeThreshold.objects.all()
    if payee_ids is not None:
        rows = rows.filter(payee_id__in=payee_ids)
    for row in rows:
        found.setdefault(row.payee_id, {})[row.currency] = row.amount_minor
    return found


def threshold_of(thresholds: dict, payee_id: int, currency: str) -> int | None:
    own = thresholds.get(payee_id, {}).get(currency)
    return own if own is not None else thresholds[None].get(currency)


def holds_in_force(*, at: datetime, payee_ids: list[int] | None = None) -> QuerySet[PayoutHold]:
    holds = PayoutHold.objects.filter(released_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gt=at))
    return holds.filter(payee_id__in=payee_ids) if payee_ids is not None else holds


def active_account_for(*, payee_id: int) -> PayeeAccount | None:
    return PayeeAccount.objects.filter(payee_id=payee_id, active=True).first()


def account_get(*, account_id: int) -> PayeeAccount | None:
    return PayeeAccount.objects.filter(pk=account_id).select_related("payee").first()


def account_by_stripe_id(*, stripe_account_id: str) -> PayeeAccount | None:
    return PayeeAccount.objects.filter(stripe_account_id=stripe_account_id).first() if stripe_account_id else None


# --- Whether a balance can be paid: one rule for the run and the portal ---------------------------------------------

BLOCKERS = {
    "nothing_owed": _("Nothing is owed."),
    "no_threshold": _("Payouts in this currency are not set up."),
    "below_threshold": _("The balance is below the payout threshold."),
    "no_account": _("No payout account."),
    "unverified": _("The payout account is not verified yet."),
    "rail_currency": _("The payout account cannot be paid in this currency."),
    "rail_disabled": _("Payouts on this account's rail are paused."),
    "on_hold": _("Payouts are on hold."),
    "pending": _("Already in a payout run."),
}


def payout_blocker(*, owed: int, threshold: int | None, account: PayeeAccount | None, currency: str,
                   on_hold: bool, pending: bool) -> str | None:
    """Why a payee's balance in one currency is not paid in the next run (a key of BLOCKERS), or None: it is."""
    if owed <= 0:
        return "nothing_owed"
    if threshold is None:
        return "no_threshold"
    if owed < threshold:
        return "below_threshold"
    if account is None:
        return "no_account"
    if not account.verified:
        return "unverified"
    info = rail_info(account.rail)
    if currency not in info.currencies:
        return "rail_currency"
    if not info.enabled:
        return "rail_disabled"
    if on_hold:
        return "on_hold"
    if pending:
        return "pending"
    return None


def next_payout_date(*, today: date) -> date:
    """The next run day (PAYOUTS_RUN_DAY of this month if it has not passed, else of next month): staff prepare a run
    that day and a second member of staff approves it; wallets and Stripe are paid when it executes, banks a day or
    two after the file is uploaded."""
    day = settings.PAYOUTS_RUN_DAY
    if today.day <= day:
        return today.replace(day=day)
    return date(today.year + (today.month == 12), today.month % 12 + 1, day)


@dataclass(frozen=True)
class BalanceLine:
    currency: str
    owed_minor: int
    threshold_minor: int | None
    blocker: str | None

    @property
    def blocker_text(self) -> str:
        return str(BLOCKERS[self.blocker]) if self.blocker else ""


def payee_summary(*, payee_id: int, now: datetime) -> dict:
    """The portal's Payouts panel: balances with their threshold and why each would not be paid, the active account,
    the hold in force, the next payout date and the payouts in flight."""
    account = active_account_for(payee_id=payee_id)
    holds = list(holds_in_force(at=now, payee_ids=[payee_id]))
    # the hold that lasts longest: one until released, else the latest end
    hold = next((h for h in holds if h.until is None), None) or max(holds, key=lambda h: h.until, default=None)
    thresholds = thresholds_for(payee_ids=[payee_id])
    pending = set(Payout.objects.filter(payee_id=payee_id, state=Payout.State.PENDING).values_list("currency",
                                                                                                  flat=True))
    lines = []
    for currency, owed in sorted(payee_balances(payee_id=payee_id).items()):
        threshold = threshold_of(thresholds, payee_id, currency)
        lines.append(BalanceLine(currency, owed, threshold, payout_blocker(
            owed=owed, threshold=threshold, account=account, currency=currency, on_hold=hold is not None,
            pending=currency in pending)))
    return {
        "balances": lines,
        "account": account,
        "hold": hold,
        "next_date": next_payout_date(today=now.date()),
        "in_flight": list(Payout.objects.filter(payee_id=payee_id, state__in=["pending", "sent"]).order_by("id")),
    }


# --- Payouts and runs ------------------------------------------------------------------------------------------------


def payouts_of_payee(*, payee_id: int) -> QuerySet[Payout]:
    return Payout.objects.filter(payee_id=payee_id).select_related("run", "account").order_by("-created_at", "-id")


def payout_of_payee(*, payee_id: int, payout_id: int) -> Payout | None:
    """One of the payee's payouts, or None (someone else's id answers as if it did not exist)."""
    return payouts_of_payee(payee_id=payee_id).filter(pk=payout_id).first()


def payout_get(*, payout_id: int) -> Payout | None:
    return Payout.objects.filter(pk=payout_id).select_related("run", "account", "payee").first()


def runs_awaiting_approval() -> QuerySet[PayoutRun]:
    return PayoutRun.objects.filter(status=PayoutRun.Status.PREPARED).select_related("prepared_by").order_by(
        "prepared_at", "id"
    )


def run_get(*, run_id: int) -> PayoutRun | None:
    return PayoutRun.objects.filter(pk=run_id).select_related("prepared_by", "approved_by", "executed_by").first()


def run_payouts(*, run: PayoutRun) -> QuerySet[Payout]:
    return run.payouts.select_related("payee", "account").order_by("id")


def run_totals(*, run: PayoutRun) -> list[dict]:
    """[{currency, rail, count, amount_minor}] of the run's payouts that are not cancelled: what approving pays."""
    rows = (run.payouts.exclude(state=Payout.State.CANCELLED).values("currency", "rail")
            .annotate(count=Count("id"), amount_minor=Sum("amount_minor")).order_by("currency", "rail"))
    return [{**row, "rail_label": RAILS[row["rail"]].label} for row in rows]


def run_reconciliation(*, run: PayoutRun) -> list[dict]:
    """Per rail and currency: payouts sent (everything that left: sent, paid, failed, returned), confirmed (paid),
    returned, failed, outstanding (sent, not answered yet) and cancelled, each as a count and a sum of minor units.
    sent = confirmed + returned + failed + outstanding, exactly."""
    rows = run.payouts.values("rail", "currency", "state").annotate(count=Count("id"), amount=Sum("amount_minor"))
    table: dict[tuple[str, str], dict] = defaultdict(lambda: {
        key: {"count": 0, "amount_minor": 0}
        for key in ("sent", "confirmed", "returned", "failed", "outstanding", "pending", "cancelled")
    })
    bucket = {"paid": "confirmed", "returned": "returned", "failed": "failed", "sent": "outstanding",
              "pending": "pending", "cancelled": "cancelled"}
    for row in rows:
        cell = table[(row["rail"], row["currency"])]
        cell[bucket[row["state"]]]["count"] += row["count"]
        cell[bucket[row["state"]]]["amount_minor"] += row["amount"]
        if row["state"] in ("sent", "paid", "failed", "returned"):
            cell["sent"]["count"] += row["count"]
            cell["sent"]["amount_minor"] += row["amount"]
    return [{"rail": rail, "rail_label": RAILS[rail].label, "currency": currency, **cells}
            for (rail, currency), cells in sorted(table.items())]


def bank_file_read(*, run: PayoutRun) -> tuple[str, bytes] | None:
    """(file name, content) of the run's bank file in protected storage, or None if none was generated."""
    if not run.bank_file:
        return None
    with storages["protected"].open(run.bank_file, "rb") as handle:
        return run.bank_file.rsplit("/", 1)[-1], handle.read()


def payee_names(*, payee_ids: list[int]) -> dict[int, str]:
    """{payee id: name}. royalties.Payee is read through payouts' own foreign key to it (royalties' selectors read one
    payee by user; a run names many)."""
    payee_model = Payout._meta.get_field("payee").related_model
    return dict(payee_model.objects.filter(pk__in=payee_ids).values_list("id", "name"))


def account_choices() -> dict[str, list[tuple[str, str]]]:
    """What a payout account form offers: the PNG banks, the wallets and the countries Stripe payouts go to."""
    return {
        "banks": list(PayeeAccount.Bank.choices),
        "wallets": [(code, info.label) for code, info in RAILS.items() if info.kind == "wallet" and info.enabled],
        "stripe_countries": list(settings.PAYOUTS_STRIPE_COUNTRIES) if rail_info("stripe").enabled else [],
    }
