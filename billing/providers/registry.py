"""What each payment rail is, in one place: its code, its name, how the payer pays, what it takes, whether we can
refund through its API, whether it renews a subscription by itself, and the header its callbacks are signed in.
Checkout, the API's enums and webhook routes, the site's form and the waiting pages read it; adding a rail (Kina
Bank's API, say) starts here. A leaf: it imports nothing of the project's."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ProviderInfo:
    code: str
    label: str  # the payer's name for it (the site's form gives the longer, translated description)
    kind: str  # card (a hosted card page), hosted (the rail's hosted page), wallet (push to the phone), bank, grant
    currencies: tuple[str, ...]  # () = any currency the territory prices in
    min_amount_minor: int = 0  # a charged payment below this is refused (a free one needs no rail)
    refunds_by_api: bool = False  # False: staff pay the money back by hand and record a manual refund
    renews_itself: bool = False  # True: the rail charges each period itself (a card); else the viewer pays again
    signature_header: str = ""  # the header a callback's signature arrives in ("" when it sends none to us)
    checkout: bool = True  # offered at checkout (a staff grant is not)

    @property
    def wallet(self) -> bool:
        return self.kind == "wallet"

    @property
    def png_rail(self) -> bool:
        """Speaks the PNG rails' HTTP shape (billing.providers.png), simulated by the sandbox without a base URL."""
        return self.kind in ("hosted", "wallet")


PROVIDERS: dict[str, ProviderInfo] = {
    info.code: info
    for info in (
        ProviderInfo("stripe", "Card", "card", (), refunds_by_api=True, renews_itself=True,
                     signature_header="Stripe-Signature"),
        # BSP Pay takes K1 at least.
        ProviderInfo("bsp", "BSP Pay", "hosted", ("PGK",), min_amount_minor=100, refunds_by_api=True,
                     signature_header="X-BSP-Signature"),
        ProviderInfo("digicel", "CellMoni", "wallet", ("PGK",), refunds_by_api=True,
                     signature_header="X-CellMoni-Signature"),
        # M-PAiSA merchants refund by hand: there is no refund call in the shape they are given.
        ProviderInfo("vodafone", "M-PAiSA", "wallet", ("PGK",), signature_header="X-MPaisa-Signature"),
        ProviderInfo("bank", "Bank transfer", "bank", ("PGK",)),
        # The demo's card-like rail: the PNG shape, any currency, always simulated.
        ProviderInfo("sandbox", "Sandbox", "hosted", (), refunds_by_api=True, signature_header="X-Sandbox-Signature"),
        ProviderInfo("staff", "Staff grant", "grant", (), checkout=False),
    )
}
CHECKOUT_CODES: tuple[str, ...] = tuple(code for code, info in PROVIDERS.items() if info.checkout)
PNG_RAIL_CODES: tuple[str, ...] = tuple(code for code, info in PROVIDERS.items() if info.png_rail)
WALLET_CODES: tuple[str, ...] = tuple(code for code, info in PROVIDERS.items() if info.wallet)
# The real PNG rails (the sandbox is only ever simulated).
PNG_LIVE_RAIL_CODES: tuple[str, ...] = tuple(code for code in PNG_RAIL_CODES if code != "sandbox")


def provider_info(code: str) -> ProviderInfo:
    """KeyError for an unknown code."""
    return PROVIDERS[code]
