from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.models import Device


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    current = getattr(request, "wans_device", None)
    return render(
        request,
        "accounts/devices.html",
        {"devices": selectors.devices_active_for(user=request.user), "current_id": current.pk if current else None},
    )


@login_required
@require_POST
def device_sign_out(request: HttpRequest, device_id: int) -> HttpResponse:
    try:
        device = services.device_sign_out(user=request.user, device_id=device_id)
    except Device.DoesNotExist:
        raise Http404 from None
    messages.success(request, f"{device.name} has been signed out.")
    return redirect("accounts:devices")
