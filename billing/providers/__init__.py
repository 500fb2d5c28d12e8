"""Payment providers behind one interface (billing.providers.base.PaymentProvider). `provider_for(code)` returns
the adapter for a provider code; what each rail is (name, kind, currencies, refunds, signature header) is
billing.providers.registry. Adapters are transport only: they import billing.errors, the registry and each other,
never billing.services or billing.tasks (core/tests/test_architecture.py checks it)."""

from billing.providers.bank import BankTransfer
from billing.providers.base import Callback, Initiated, PaymentProvider  # noqa: F401
from billing.providers.png import PngRail
from billing.providers.registry import provider_info
from billing.providers.stripe import StripeCheckout


def provider_for(code: str) -> PaymentProvider:
    """KeyError for an unknown code or one with no adapter (a staff grant)."""
    kind = provider_info(code).kind
    if kind in ("hosted", "wallet"):
        return PngRail(code)
    if kind == "bank":
        return BankTransfer()
    if kind == "card":
        return StripeCheckout()
    raise KeyError(code)
