"""Billing's services (writes): the facade for other apps, the site, the API, the admin and Celery tasks; see
docs/billing.md. Nothing inside billing.services imports this package: its modules import each other by full module
path, so the order of the imports below carries no meaning (core/tests/test_architecture.py checks for circles)."""

# The PNG rails' callback signature (t=<unix>,v1=<HMAC-SHA256>), for other apps' rails too (payouts' disbursements).
from billing.providers.base import hmac_header, hmac_verify
from billing.services.callbacks import callback_handle, sandbox_page_answer, sandbox_resolve
from billing.services.checkout import (
    CheckoutRequest,
    checkout_purchase_start,
    checkout_renewal_start,
    checkout_subscription_start,
    coupon_check,
    coupon_preview,
)
from billing.services.complimentary import complimentary_grant
from billing.services.coupons import coupon_quote
from billing.services.grants import entitlement_grant, rental_start
from billing.services.ledger import svod_pool_split_run, svod_pools_split_due, watch_time_record
from billing.services.notices import reminders_send
from billing.services.payer import payment_cancel, payment_prompt_resend
from billing.services.payments import (
    bank_transfer_reconcile,
    payer_data_erase,
    payment_confirm,
    payment_fail,
    payment_refresh,
    payment_refund,
    payments_expire,
)
from billing.services.quotes import subscription_quote
from billing.services.stripe_events import stripe_event_apply, stripe_webhook_endpoint
from billing.services.subscription_changes import (
    subscription_cancel,
    subscription_coupon_apply,
    subscription_reactivate,
)
from billing.services.subscriptions import subscription_grant, subscriptions_sweep

__all__ = [
    "payer_data_erase",
    "complimentary_grant",
    "CheckoutRequest",
    "bank_transfer_reconcile",
    "callback_handle",
    "checkout_purchase_start",
    "checkout_renewal_start",
    "checkout_subscription_start",
    "coupon_check",
    "coupon_preview",
    "coupon_quote",
    "entitlement_grant",
    "hmac_header",
    "hmac_verify",
    "payment_cancel",
    "payment_confirm",
    "payment_fail",
    "payment_prompt_resend",
    "payment_refresh",
    "payment_refund",
    "payments_expire",
    "reminders_send",
    "rental_start",
    "sandbox_page_answer",
    "sandbox_resolve",
    "stripe_event_apply",
    "stripe_webhook_endpoint",
    "subscription_cancel",
    "subscription_coupon_apply",
    "subscription_grant",
    "subscription_quote",
    "subscription_reactivate",
    "subscriptions_sweep",
    "svod_pool_split_run",
    "svod_pools_split_due",
    "watch_time_record",
]
