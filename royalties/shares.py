"""Royalties' answer to billing's share question (billing.shares, BILLING_FILM_SHARE_PROVIDER): a film's own rule
(RoyaltyRule), else the default (BILLING_CREATOR_SHARE_PERCENT)."""

from billing import selectors as billing_selectors
from royalties.models import RoyaltyRule


class RoyaltiesFilmShares:
    """One query per question."""

    def rights_holders_bps(self, *, film_id: int) -> int:
        bps = RoyaltyRule.objects.filter(film_id=film_id).values_list("holders_bps", flat=True).first()
        return billing_selectors.film_share_default_bps() if bps is None else bps
