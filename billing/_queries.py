"""Query fragments shared by billing's services and selectors."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from billing.models import OPEN_STATUSES, Entitlement, Subscription


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


def subscription_access_q(*, at: datetime) -> Q:
    """Subscriptions that let their holder watch at `at`: open (billing.models.OPEN_STATUSES) and trialing or active
    within the period (plus the grace days, while a renewal event is late), or past due within the grace period.
    Not lapsed, cancelled or never paid."""
    status = Subscription.Status
    grace = timedelta(days=settings.BILLING_GRACE_DAYS)
    return Q(status__in=OPEN_STATUSES) & (
        Q(status__in=[status.TRIALING, status.ACTIVE], current_period_end__gt=at - grace)
        | Q(status=status.PAST_DUE, grace_until__gt=at)
    )
