"""Billing's services (writes). One layer for the API, the site, the admin and Celery tasks; see docs/billing.md."""

from billing.services.grants import entitlement_grant, rental_start
from billing.services.subscriptions import (
    subscription_cancel,
    subscription_grant,
    subscription_reactivate,
    subscriptions_sweep,
)

__all__ = [
    "entitlement_grant",
    "rental_start",
    "subscription_cancel",
    "subscription_grant",
    "subscription_reactivate",
    "subscriptions_sweep",
]
