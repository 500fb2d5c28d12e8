"""The share question billing asks and royalties answers: what part of a film's net revenue (what the viewer paid,
less the payment provider's fee) goes to the film's rights holders? Billing credits that part to the film's creator
account (`creator:<user id>`) when a sale is posted; royalties later splits it between the film's payees.

The answerer is named by BILLING_FILM_SHARE_PROVIDER: royalties' `RoyaltiesFilmShares` by default (a film's own rule,
royalties.RoyaltyRule, else the default). `DefaultFilmShare` answers from the setting alone
(BILLING_CREATOR_SHARE_PERCENT), for a deployment without royalties. Billing never imports royalties: royalties
depends on billing (docs/architecture.md)."""

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

FULL = 10_000  # basis points: 10000 = 100%


class FilmShareProvider(Protocol):
    def rights_holders_bps(self, *, film_id: int) -> int:
        """The film's rights holders' share of its net revenue, in basis points (0..10000). One query at most."""
        ...


class DefaultFilmShare:
    """Every film: BILLING_CREATOR_SHARE_PERCENT of its net to the rights holders."""

    def rights_holders_bps(self, *, film_id: int) -> int:
        return default_bps()


def default_bps() -> int:
    return settings.BILLING_CREATOR_SHARE_PERCENT * 100


def film_share_provider() -> FilmShareProvider:
    return import_string(settings.BILLING_FILM_SHARE_PROVIDER)()


def rights_holders_bps(*, film_id: int | None) -> int:
    """The share in basis points for a film (the default for no film)."""
    if not film_id:
        return default_bps()
    return film_share_provider().rights_holders_bps(film_id=film_id)
