"""The account page: plan and next bill, payments, devices, active streams."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from web import integrations
from web.viewer import viewer_for


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = getattr(request, "wans_device", None)
    streams = []
    if integrations.has(integrations.playback_selectors, "sessions_active_for"):
        streams = list(integrations.playback_selectors.sessions_active_for(user=user))
    return render(
        request,
        "web/account.html",
        {
            "viewer": viewer_for(request),
            "devices": list(account_selectors.devices_active_for(user=user)),
            "device_limit": account_selectors.device_limit_for(user=user),
            "current_device_id": current.pk if current else None,
            "streams": streams,
        },
    )
