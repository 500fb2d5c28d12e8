"""The account page: plan and next bill, change / cancel / reactivate, payments and receipts, devices, active
streams. Reads through billing, accounts and playback selectors; writes through their services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors as account_selectors
from billing import selectors as billing_selectors
from billing import services as billing_services
from core.exceptions import DomainError
from core.money import money_display
from playback import selectors as playback_selectors
from playback import services as playback_services
from web.viewer import viewer_for

PAYMENTS_SHOWN = 20


SEEN_NOW_SECONDS = 120  # "Active now" rather than "Last seen 0 minutes ago"


def _devices(user) -> list:
    now = timezone.now()
    devices = list(account_selectors.devices_active_for(user=user))
    for device in devices:
        device.seen_now = device.last_seen_at is None or (now - device.last_seen_at).total_seconds() < SEEN_NOW_SECONDS
    return devices


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = getattr(request, "wans_device", None)
    subscription = billing_selectors.subscription_active_for(user=user)
    limits = billing_selectors.plan_limits_for(user=user)
    payments = [
        {"payment": p, "amount": money_display(p.amount_minor, p.currency)}
        for p in billing_selectors.payments_of(user=user)[:PAYMENTS_SHOWN]
    ]
    rentals = [
        entitlement for entitlement in billing_selectors.entitlements_of(user=user).select_related("film")
        if entitlement.kind == "rental"
    ]
    streams = playback_selectors.sessions_active_for(user=user)
    return render(
        request,
        "web/account.html",
        {
            "viewer": viewer_for(request),
            "subscription": subscription,
            "next_bill": money_display(subscription.amount_minor, subscription.currency) if subscription else "",
            "limits": limits,
            "payments": payments,
            "devices": _devices(user),
            "device_limit": account_selectors.device_limit_for(user=user),
            "current_device_id": current.pk if current else None,
            "streams": streams,
            "rentals": rentals,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def subscription_change(request: HttpRequest) -> HttpResponse:
    """action=cancel (at the end of the paid period) or action=reactivate (undo that)."""
    subscription = billing_selectors.subscription_active_for(user=request.user)
    action = request.POST.get("action")
    if subscription is None or action not in {"cancel", "reactivate"}:
        messages.error(request, _("There is no subscription to change."))
        return redirect("web:account")
    if action == "cancel" and request.POST.get("confirm") != "yes":  # one click only asks; the second cancels
        return render(
            request, "web/subscription_cancel.html", {"viewer": viewer_for(request), "subscription": subscription}
        )
    try:
        if action == "cancel":
            billing_services.subscription_cancel(subscription=subscription, by=request.user)
            messages.success(request, _("Cancelled. You keep watching until the end of the paid period."))
        else:
            billing_services.subscription_reactivate(subscription=subscription, by=request.user)
            messages.success(request, _("Welcome back: your subscription continues."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("web:account")


@login_required
@require_GET
def receipt(request: HttpRequest, public_id) -> HttpResponse:
    payment = billing_selectors.payment_for(public_id=public_id, user=request.user)
    if payment is None or payment.user_id != request.user.pk or payment.status not in ("paid", "refunded"):
        raise Http404
    return render(
        request,
        "web/receipt.html",
        {
            "payment": payment,
            "subtotal": money_display(payment.subtotal_minor, payment.currency),
            "discount": money_display(payment.discount_minor, payment.currency) if payment.discount_minor else "",
            "amount": money_display(payment.amount_minor, payment.currency),
        },
    )


@login_required
@require_POST
def stream_end(request: HttpRequest, session_id) -> HttpResponse:
    """Stop a stream playing on another device (it frees a screen at once)."""
    try:
        playback_services.session_end(session_id=session_id, by=request.user)
    except DomainError as error:
        if error.http_status == 404:
            raise Http404 from None
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("That stream has been stopped."))
    return redirect("web:account")
