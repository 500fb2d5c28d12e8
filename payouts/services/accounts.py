"""Payee accounts (bank, wallet, Stripe Connect), their verification, and holds. Replacing a payee's account holds
their payouts for PAYOUTS_ACCOUNT_CHANGE_HOLD_HOURS and emails them: whoever took over a sign-in cannot divert the
next payout unseen."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from payouts import emails
from payouts.errors import PayoutsInvalid
from payouts.models import PayeeAccount, PayoutHold, Rail
from payouts.rails import stripe_connect
from payouts.rails.registry import WALLET_RAILS
from payouts.services._access import require_perm, require_self_or_perm

K = PayeeAccount.Kind
_MSISDN = re.compile(r"7[0-9]{7}")  # PNG mobile numbers: 8 digits from 7
_SEPARATORS = re.compile(r"[\s\-().]")


def msisdn_normalize(raw: str) -> str | None:
    """+675 and the 8-digit mobile number, from what people type (`7123 4567`, `+675 7123-4567`, `00675...`), or
    None if it is not a PNG mobile number."""
    digits = _SEPARATORS.sub("", raw or "")
    for prefix in ("+675", "00675", "675"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 8:
            digits = digits[len(prefix):]
            break
    return f"+675{digits}" if _MSISDN.fullmatch(digits) else None


def _validated(*, kind: str, bank: str, branch_code: str, account_number: str, account_name: str, wallet: str,
               msisdn: str) -> dict:
    """The account's fields, or PayoutsInvalid naming every bad one."""
    problems: dict[str, list[str]] = {}
    if kind == K.BANK:
        number = _SEPARATORS.sub("", account_number or "")
        branch = _SEPARATORS.sub("", branch_code or "")
        name = " ".join((account_name or "").split())
        if bank not in PayeeAccount.Bank.values:
            problems["bank"] = ["Choose the bank."]
        if not re.fullmatch(r"[0-9]{6}", branch):
            problems["branch_code"] = ["The branch (BSB) code is 6 digits."]
        if not re.fullmatch(r"[0-9]{6,16}", number):
            problems["account_number"] = ["The account number is 6 to 16 digits."]
        if not 2 <= len(name) <= 60:
            problems["account_name"] = ["Give the name on the account (2 to 60 characters)."]
        fields = {"rail": Rail.BANK, "bank": bank, "branch_code": branch, "account_number": number,
                  "account_name": name}
    elif kind == K.WALLET:
        normalized = msisdn_normalize(msisdn)
        if wallet not in WALLET_RAILS:
            problems["wallet"] = ["Choose CellMoni or M-PAiSA."]
        if normalized is None:
            problems["msisdn"] = ["A PNG mobile number: 8 digits starting with 7, with or without +675."]
        fields = {"rail": wallet, "msisdn": normalized or ""}
    else:
        problems["kind"] = ["Choose a bank account or a mobile wallet."]
        fields = {}
    if problems:
        raise PayoutsInvalid(fields=problems)
    return {"kind": kind, **fields}


def _replace(*, payee, by, fields: dict, status: str) -> PayeeAccount:
    """The payee's new active account; the old one is deactivated, and its replacement holds payouts and emails the
    payee (after commit). A first account neither holds nor waits: nothing could be diverted. Call inside
    transaction.atomic()."""
    now = timezone.now()
    previous = PayeeAccount.objects.select_for_update().filter(payee=payee, active=True).first()
    if previous is not None:
        PayeeAccount.objects.filter(pk=previous.pk).update(active=False, deactivated_at=now)
    account = PayeeAccount.objects.create(payee=payee, created_by=by, status=status, **fields)
    until = None
    hours = settings.PAYOUTS_ACCOUNT_CHANGE_HOLD_HOURS
    if previous is not None and hours:
        until = now + timedelta(hours=hours)
        PayoutHold.objects.create(payee=payee, kind=PayoutHold.Kind.ACCOUNT_CHANGE, until=until, created_by=by,
                                  reason=f"Payout account changed ({previous.masked} -> {account.masked}).")
    transaction.on_commit(lambda: emails.account_changed_email(
        to=payee.email, name=payee.name, account_text=account.masked, hold_until=until))
    return account


def payee_account_set(*, payee, by, kind: str, bank: str = "", branch_code: str = "", account_number: str = "",
                      account_name: str = "", wallet: str = "", msisdn: str = "") -> PayeeAccount:
    """Make a PNG bank account or mobile wallet the payee's active account, awaiting staff verification. By the
    payee's own user (the portal) or staff holding payouts.add_payeeaccount. Raises PayoutsInvalid naming the bad
    fields; replacing an account holds payouts (PAYOUTS_ACCOUNT_CHANGE_HOLD_HOURS) and emails the payee."""
    require_self_or_perm(by, payee, "add_payeeaccount")
    fields = _validated(kind=kind, bank=bank, branch_code=branch_code, account_number=account_number,
                        account_name=account_name, wallet=wallet, msisdn=msisdn)
    with transaction.atomic():
        return _replace(payee=payee, by=by, fields=fields, status=PayeeAccount.Status.PENDING)


def payee_account_stripe_start(*, payee, by, country: str, refresh_url: str, return_url: str) -> tuple[
        PayeeAccount, str]:
    """Make a Stripe Connect (Express) account the payee's active one and return (account, the URL of Stripe's hosted
    onboarding). For payees abroad: a country among PAYOUTS_STRIPE_COUNTRIES. Stripe's account.updated webhook
    verifies it (stripe_connect_event_apply). If Stripe cannot be reached the account row stays, onboarding, and
    payee_account_stripe_link tries again (idempotent: the same Stripe account)."""
    require_self_or_perm(by, payee, "add_payeeaccount")
    country = (country or "").strip().upper()
    if country == "PG":
        raise PayoutsInvalid(fields={"country": ["Payees in Papua New Guinea are paid to a bank account or wallet."]})
    if country not in settings.PAYOUTS_STRIPE_COUNTRIES:
        raise PayoutsInvalid(fields={"country": [
            "Stripe payouts go to: " + ", ".join(settings.PAYOUTS_STRIPE_COUNTRIES) + "."]})
    with transaction.atomic():
        account = _replace(payee=payee, by=by, status=PayeeAccount.Status.ONBOARDING,
                           fields={"kind": K.STRIPE, "rail": Rail.STRIPE, "stripe_country": country})
    return account, payee_account_stripe_link(account=account, by=by, refresh_url=refresh_url, return_url=return_url)


def payee_account_stripe_link(*, account: PayeeAccount, by, refresh_url: str, return_url: str) -> str:
    """A fresh onboarding URL for the payee's Stripe account, creating the Stripe account first if that never
    happened (the same idempotency key: never two Stripe accounts for one row)."""
    require_self_or_perm(by, account.payee, "add_payeeaccount")
    if account.kind != K.STRIPE or not account.active:
        raise PayoutsInvalid("This is not the payee's active Stripe account.", fields={"account": ["Not Stripe."]})
    if not account.stripe_account_id:
        created = stripe_connect.express_account_create(
            country=account.stripe_country, email=account.payee.email, payee_id=account.payee_id,
            account_id=account.pk)
        PayeeAccount.objects.filter(pk=account.pk, stripe_account_id="").update(stripe_account_id=created["id"])
        account.refresh_from_db()
    return stripe_connect.onboarding_link_create(stripe_account_id=account.stripe_account_id,
                                                 refresh_url=refresh_url, return_url=return_url)


def payee_account_verify(*, account: PayeeAccount, by) -> PayeeAccount:
    """Staff checked a bank account or wallet (a name match with the bank, a test transfer): payouts may go to it.
    Stripe accounts are verified by Stripe (its webhook), never here."""
    require_perm(by, "verify_payeeaccount")
    if account.kind == K.STRIPE:
        raise PayoutsInvalid("Stripe verifies Stripe accounts.", fields={"account": ["Verified by Stripe."]})
    PayeeAccount.objects.filter(pk=account.pk).update(
        status=PayeeAccount.Status.VERIFIED, verified_by=by, verified_at=timezone.now(), status_note="")
    account.refresh_from_db()
    return account


def payee_account_reject(*, account: PayeeAccount, by, reason: str) -> PayeeAccount:
    require_perm(by, "verify_payeeaccount")
    if not reason.strip():
        raise PayoutsInvalid(fields={"reason": ["Say why, for the payee."]})
    if account.kind == K.STRIPE:
        raise PayoutsInvalid("Stripe verifies Stripe accounts.", fields={"account": ["Verified by Stripe."]})
    PayeeAccount.objects.filter(pk=account.pk).update(status=PayeeAccount.Status.REJECTED, verified_by=by,
                                                      verified_at=None, status_note=reason.strip()[:200])
    account.refresh_from_db()
    return account


def payout_hold_place(*, payee, by, reason: str, until=None) -> PayoutHold:
    """Hold a payee's payouts (until released, or until `until`): they are left out of runs, and a payout already in
    an approved run is cancelled when its turn comes."""
    require_perm(by, "add_payouthold")
    if not (reason or "").strip():
        raise PayoutsInvalid(fields={"reason": ["Give the reason for the hold."]})
    if until is not None and until <= timezone.now():
        raise PayoutsInvalid(fields={"until": ["A hold ends in the future (or leave it empty)."]})
    return PayoutHold.objects.create(payee=payee, kind=PayoutHold.Kind.MANUAL, reason=reason.strip()[:300],
                                     until=until, created_by=by)


def payout_hold_release(*, hold: PayoutHold, by) -> PayoutHold:
    require_perm(by, "change_payouthold")
    PayoutHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(released_at=timezone.now(), released_by=by)
    hold.refresh_from_db()
    return hold
