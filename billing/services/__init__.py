"""Billing's services (writes). One layer for the API, the site, the admin and Celery tasks; see docs/billing.md."""

from billing.services.callbacks import callback_handle, sandbox_page_answer, sandbox_resolve
from billing.services.checkout import (
    bank_transfer_reconcile,
    checkout_purchase_start,
    checkout_renewal_start,
    checkout_subscription_start,
    coupon_check,
    payment_confirm,
    payment_fail,
    payment_get_for,
    payment_refund,
    payments_expire,
    subscription_coupon_apply,
)
from billing.services.coupons import coupon_quote
from billing.services.grants import entitlement_grant, rental_start
from billing.services.ledger import svod_pool_split_run, watch_time_record
from billing.services.payer import payment_cancel, payment_prompt_resend
from billing.services.quotes import subscription_quote
from billing.services.stripe_events import stripe_event_apply, stripe_webhook_endpoint
from billing.services.subscriptions import (
    subscription_cancel,
    subscription_grant,
    subscription_reactivate,
    subscriptions_sweep,
)

__all__ = [
    "bank_transfer_reconcile",
    "callback_handle",
    "checkout_purchase_start",
    "checkout_renewal_start",
    "coupon_check",
    "payment_get_for",
    "payment_refresh",
    "subscription_coupon_apply",
    "checkout_subscription_start",
    "coupon_quote",
    "entitlement_grant",
    "payment_cancel",
    "payment_confirm",
    "payment_prompt_resend",
    "payment_fail",
    "payment_refund",
    "payments_expire",
    "rental_start",
    "sandbox_page_answer",
    "sandbox_resolve",
    "stripe_event_apply",
    "stripe_webhook_endpoint",
    "subscription_cancel",
    "subscription_grant",
    "subscription_reactivate",
    "subscription_quote",
    "subscriptions_sweep",
    "svod_pool_split_run",
    "watch_time_record",
]
