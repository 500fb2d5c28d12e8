"""Entitlements: what a confirmed payment (or staff, with a reason) grants, and the rental clock."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from billing._queries import live_entitlements_q
from billing.errors import AlreadyEntitled, BillingInvalid, BillingPermissionDenied, NotForSale, SoldOut
from billing.models import CollectorStock, Entitlement, Payment
from billing.services.notices import rental_started_notify
from rights import selectors as rights_selectors

KIND_BY_WINDOW_TYPE = {
    "tvod": Entitlement.Kind.RENTAL,
    "pvod": Entitlement.Kind.PURCHASE,
    "ppv": Entitlement.Kind.TICKET,
    "festival": Entitlement.Kind.FESTIVAL_PASS,
    "collector": Entitlement.Kind.COLLECTOR,
}


def kind_for_window(window) -> str:
    """The entitlement a window sells; NotForSale for windows nobody buys (free, subscription, cinema)."""
    if window.window_type == "festival" and not window.festival_ticketed:
        raise NotForSale("This festival screening is free: there is nothing to buy.")
    kind = KIND_BY_WINDOW_TYPE.get(window.window_type)
    if kind is None:
        raise NotForSale(f"A {window.window_type} window is not sold one film at a time.")
    return kind


def window_held(*, user, window_id: int, at: datetime) -> bool:
    return Entitlement.objects.filter(live_entitlements_q(at=at), user=user, window_id=window_id).exists()


def collector_lock(*, window_id: int) -> None:
    """Take the window's collector lock row FOR UPDATE (inside a transaction)."""
    CollectorStock.objects.get_or_create(window_id=window_id)
    CollectorStock.objects.select_for_update().get(window_id=window_id)


def collector_copies_left(*, window, at: datetime, excluding_payment_id: int | None = None) -> int:
    """Copies not held and not reserved by a pending, unexpired checkout. Call inside collector_lock."""
    held = Entitlement.objects.filter(window_id=window.pk, revoked_at__isnull=True).count()
    reserved = (
        Payment.objects.filter(window_id=window.pk, status=Payment.Status.PENDING, expires_at__gt=at)
        .exclude(pk=excluding_payment_id)
        .count()
    )
    return window.edition_size - held - reserved


def _next_edition_number(*, window_id: int, size: int) -> int | None:
    taken = set(
        Entitlement.objects.filter(window_id=window_id, revoked_at__isnull=True, edition_number__isnull=False)
        .values_list("edition_number", flat=True)
    )
    return next((number for number in range(1, size + 1) if number not in taken), None)


def entitlement_issue(
    *, user, window, at: datetime, payment: Payment | None = None, by=None, reason: str = ""
) -> Entitlement:
    """Create the entitlement `window` sells. Preconditions: validated; for a collector window, called inside
    collector_lock (the number is the lowest free one, and the database refuses a number held twice)."""
    kind = kind_for_window(window)
    fields: dict = {}
    if kind == Entitlement.Kind.RENTAL:
        fields["start_by"] = at + timedelta(days=window.start_window_days)
    if kind == Entitlement.Kind.COLLECTOR:
        number = _next_edition_number(window_id=window.pk, size=window.edition_size)
        if number is None:
            raise SoldOut()
        fields["edition_number"] = number
    return Entitlement.objects.create(
        user=user,
        kind=kind,
        window_id=window.pk,
        film_id=window.film_id,
        payment=payment,
        granted_at=at,
        granted_by=by,
        reason=reason[:200],
        **fields,
    )


def entitlement_grant(*, user, window_id: int, by, reason: str) -> Entitlement:
    """Staff grant of the entitlement the window's type implies (rental for TVOD, purchase for PVOD, ticket for PPV,
    festival pass for a ticketed festival, a numbered copy for a collector edition)."""
    if by is None or not getattr(by, "is_staff", False):
        raise BillingPermissionDenied("Only staff may grant access without a payment.")
    if not (reason or "").strip():
        raise BillingInvalid(fields={"reason": ["Say why access is granted."]})
    window = rights_selectors.window_get(window_id=window_id)
    if window is None:
        raise BillingInvalid(fields={"window_id": ["No such window."]})
    kind_for_window(window)
    at = timezone.now()
    with transaction.atomic():
        if window.window_type == "collector":
            collector_lock(window_id=window.pk)
            if collector_copies_left(window=window, at=at) <= 0:
                raise SoldOut()
        if window_held(user=user, window_id=window.pk, at=at):
            raise AlreadyEntitled()
        return entitlement_issue(user=user, window=window, at=at, by=by, reason=reason)


def rental_start(*, user, window_id: int, at: datetime) -> None:
    """Start the rental clock at the first playback through a TVOD window: once, and only for a rental that is
    still within its days to start. A no-op otherwise (no rental, already started, or too late to start)."""
    window = rights_selectors.window_get(window_id=window_id)
    if window is None or window.window_type != "tvod" or user is None or not getattr(user, "pk", None):
        return
    waiting = Entitlement.objects.filter(
        user=user,
        window_id=window_id,
        kind=Entitlement.Kind.RENTAL,
        revoked_at__isnull=True,
        started_at__isnull=True,
        start_by__gt=at,
    )
    ends_at = at + timedelta(hours=window.rental_hours)
    with transaction.atomic():
        for entitlement_id in waiting.values_list("pk", flat=True):
            # Conditional on not started: of two first plays at once, one starts the clock and tells the viewer.
            if Entitlement.objects.filter(pk=entitlement_id, started_at__isnull=True).update(started_at=at,
                                                                                            ends_at=ends_at):
                rental_started_notify(user=user, window=window, entitlement_id=entitlement_id, ends_at=ends_at)


def entitlement_revoke(*, entitlement: Entitlement, at: datetime) -> None:
    if entitlement.revoked_at is None:
        entitlement.revoked_at = at
        entitlement.save(update_fields=["revoked_at"])
