"""Billing's answer to rights' entitlement question (RIGHTS_ENTITLEMENT_PROVIDER)."""

from datetime import datetime

from billing import selectors


class BillingEntitlements:
    """Staff hold every window; a viewer holds SVOD windows through a live subscription and the others through a
    live rental, purchase, ticket, festival pass or collector copy. At most two queries per question."""

    def windows_entitled(self, *, user, windows: list, at: datetime) -> set[int]:
        if user is None or not getattr(user, "is_authenticated", False):
            return set()
        if user.is_staff:
            return {window.pk for window in windows}
        svod = [w.pk for w in windows if w.window_type == "svod"]
        others = [w.pk for w in windows if w.window_type != "svod"]
        return selectors.windows_entitled_for(user=user, window_ids=others, svod_window_ids=svod, at=at)
