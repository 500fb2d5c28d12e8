"""What each payout rail is, in one place: its code (the ledger's `clearing:<code>` and `cash:<code>`), its name, how
it travels (a bank file staff upload to the bank, a wallet's disbursement API, a Stripe transfer), the currencies it
pays and the header a callback's signature arrives in. A leaf: settings only."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RailInfo:
    code: str
    label: str
    kind: str  # bank_file, wallet, stripe
    signature_header: str = ""

    @property
    def currencies(self) -> tuple[str, ...]:
        """The PNG rails pay kina; Stripe pays what the platform's Stripe balance holds (PAYOUTS_STRIPE_CURRENCIES)."""
        if self.kind == "stripe":
            return tuple(settings.PAYOUTS_STRIPE_CURRENCIES)
        return ("PGK",)

    @property
    def enabled(self) -> bool:
        return self.code in settings.PAYOUTS_RAILS_ENABLED


RAILS: dict[str, RailInfo] = {
    info.code: info
    for info in (
        RailInfo("bank", "Bank transfer (bank file)", "bank_file"),
        RailInfo("digicel", "Digicel CellMoni", "wallet", signature_header="X-CellMoni-Signature"),
        RailInfo("vodafone", "Vodafone M-PAiSA", "wallet", signature_header="X-MPaisa-Signature"),
        RailInfo("stripe", "Stripe Connect", "stripe", signature_header="Stripe-Signature"),
    )
}
WALLET_RAILS: tuple[str, ...] = tuple(code for code, info in RAILS.items() if info.kind == "wallet")


def rail_info(code: str) -> RailInfo:
    """KeyError for an unknown code."""
    return RAILS[code]
