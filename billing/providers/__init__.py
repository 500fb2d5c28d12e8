"""Payment providers behind one interface (billing.providers.base.PaymentProvider). `provider_for(code)` returns
the adapter for a provider code: stripe, bsp, digicel, vodafone, bank or sandbox."""

from billing.providers.base import Callback, Initiated, PaymentProvider  # noqa: F401


def provider_for(code: str) -> "PaymentProvider":
    from billing.providers.bank import BankTransfer
    from billing.providers.png import PngRail
    if code in ("bsp", "digicel", "vodafone", "sandbox"):
        return PngRail(code)
    if code == "bank":
        return BankTransfer()
    if code == "stripe":
        from billing.providers.stripe import StripeCheckout

        return StripeCheckout()
    raise KeyError(code)
