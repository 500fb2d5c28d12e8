"""The entitlement question rights asks and billing answers: which of these windows does this viewer hold a live
right to watch through (a subscription, a rental, a purchase, a ticket)? Free windows need no answer.

The provider is named by RIGHTS_ENTITLEMENT_PROVIDER: billing's `BillingEntitlements` by default. `NoPurchasesYet`
answers from rights' own facts alone (staff may watch everything, no viewer holds a purchase or subscription), for a
deployment that sells nothing."""

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from rights.models import Window


class EntitlementProvider(Protocol):
    def windows_entitled(self, *, user, windows: "list[Window]", at: datetime) -> set[int]:
        """Ids of those `windows` that `user` holds a live entitlement for at `at` (a subscription, a rental not yet
        expired, a purchase, a ticket). `windows` are all of one territory: the ones open at `at` that are streamed
        and not free, plus collector windows whose sale has closed (a collector edition is kept). `user` may be
        anonymous or None. Called once per availability question, bulk included: answer in a fixed number of
        queries."""
        ...


class NoPurchasesYet:
    """Nothing is sold: staff are entitled to every window; nobody else holds any entitlement."""

    def windows_entitled(self, *, user, windows: "list[Window]", at: datetime) -> set[int]:
        if user is not None and getattr(user, "is_authenticated", False) and user.is_staff:
            return {window.pk for window in windows}
        return set()


def entitlement_provider() -> EntitlementProvider:
    return import_string(settings.RIGHTS_ENTITLEMENT_PROVIDER)()
