"""Query fragments shared by billing's services and selectors."""

from datetime import datetime

from django.db.models import Q

from billing.models import Entitlement


def live_entitlements_q(*, at: datetime) -> Q:
    """Entitlements (other than subscriptions) that let their holder watch at `at`."""
    rental_live = Q(kind=Entitlement.Kind.RENTAL) & (
        Q(started_at__isnull=True, start_by__gt=at) | Q(started_at__isnull=False, ends_at__gt=at)
    )
    kept = Q(
        kind__in=[
            Entitlement.Kind.PURCHASE,
            Entitlement.Kind.TICKET,
            Entitlement.Kind.FESTIVAL_PASS,
            Entitlement.Kind.COLLECTOR,
        ]
    )
    return Q(revoked_at__isnull=True, granted_at__lte=at) & (rental_live | kept)
