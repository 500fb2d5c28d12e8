"""Stripe Connect for payees abroad, through the stripe library (the key dj-stripe holds, as billing's adapter uses):
an Express account per payee (`POST /v1/accounts`), onboarded on Stripe's hosted pages (`POST /v1/account_links`),
its state from the Connect webhook `account.updated` (signed as every Stripe webhook: Stripe-Signature,
t=<unix>,v1=<HMAC-SHA256 of "t.payload">), and payouts as transfers to it (`POST /v1/transfers` with an
Idempotency-Key: sending a payout again returns the first transfer)."""

import json

import stripe
from django.conf import settings
from djstripe.settings import djstripe_settings

from payouts.errors import BadSignature, PayoutsInvalid, RailError, RailRefused
from payouts.rails.base import DisbursementRail, Sent


def _call(fn, **params):
    """One Stripe call with our key. A refusal of the request itself (4xx: no such account, a capability not active,
    the platform's balance short) is RailRefused; what may pass on a retry (network, 5xx, rate limit, an idempotency
    conflict, our own key refused) is RailError."""
    try:
        return fn(api_key=djstripe_settings.STRIPE_SECRET_KEY, **params)
    except (stripe.InvalidRequestError, stripe.CardError) as exc:
        raise RailRefused(f"Stripe refused: {exc.user_message or exc}") from exc
    except stripe.StripeError as exc:
        raise RailError(f"Stripe could not be reached or failed: {exc.user_message or exc}") from exc


def express_account_create(*, country: str, email: str, payee_id: int, account_id: int) -> dict:
    """A Stripe Express account that receives transfers (the cross-border "recipient" service agreement: payees are
    paid, they take no card payments). Idempotent per our account row."""
    params = {
        "type": "express",
        "country": country,
        "capabilities": {"transfers": {"requested": True}},
        "tos_acceptance": {"service_agreement": "recipient"},
        "metadata": {"wans_payee": str(payee_id), "wans_account": str(account_id)},
        "idempotency_key": f"wans-payee-account-{account_id}",
    }
    if email:
        params["email"] = email
    return _call(stripe.Account.create, **params)


def onboarding_link_create(*, stripe_account_id: str, refresh_url: str, return_url: str) -> str:
    """The URL of Stripe's hosted onboarding for the account (it expires in minutes: refresh_url makes a new one)."""
    link = _call(stripe.AccountLink.create, account=stripe_account_id, refresh_url=refresh_url,
                 return_url=return_url, type="account_onboarding")
    return link["url"]


def account_state(account: dict) -> tuple[str, list[str], str]:
    """(status, requirements currently due, note) of a Stripe account object: verified once transfers are active and
    payouts enabled; rejected when Stripe rejected it; restricted when submitted details left it disabled; else still
    onboarding."""
    capabilities = account.get("capabilities") or {}
    requirements = account.get("requirements") or {}
    due = [str(item) for item in (requirements.get("currently_due") or [])][:50]
    disabled = str(requirements.get("disabled_reason") or "")
    if capabilities.get("transfers") == "active" and account.get("payouts_enabled"):
        return "verified", due, ""
    if disabled.startswith("rejected"):
        return "rejected", due, f"Stripe: {disabled}"
    if account.get("details_submitted") and disabled:
        return "restricted", due, f"Stripe: {disabled}"
    return "onboarding", due, ""


def connect_event_parse(*, body: bytes, signature: str | None) -> dict:
    """A Connect webhook's event, once its Stripe-Signature verifies against PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET
    (five minutes' tolerance, as Stripe's libraries default to). BadSignature otherwise (nothing is recorded)."""
    try:
        stripe.WebhookSignature.verify_header(
            body.decode("utf-8", "replace"), signature, settings.PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET, tolerance=300
        )
    except stripe.SignatureVerificationError as exc:
        raise BadSignature("The Stripe-Signature does not verify.") from exc
    try:
        event = json.loads(body)
        if not isinstance(event, dict) or not isinstance(event.get("data", {}).get("object"), dict):
            raise ValueError("no data.object")
        str(event["id"]), str(event["type"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PayoutsInvalid(f"The event is not in Stripe's shape ({exc}).") from exc
    return event


class StripeRail(DisbursementRail):
    code = "stripe"

    def send(self, *, payout) -> Sent:
        account = payout.account.stripe_account_id
        if not account:
            raise RailRefused("The payee's Stripe account was never created.")
        transfer = _call(
            stripe.Transfer.create,
            amount=payout.amount_minor,
            currency=payout.currency.lower(),
            destination=account,
            transfer_group=f"wans-run-{payout.run_id}",
            description=f"WANS payout {payout.reference}",
            metadata={"wans_payout": payout.reference},
            idempotency_key=f"wans-payout-{payout.reference}",
        )
        return Sent(provider_ref=str(transfer["id"])[:120], settled=True)
