from django.conf import settings
from django.contrib.auth import logout

from accounts import selectors, services

TWO_YEARS = 60 * 60 * 24 * 730


class DeviceSessionMiddleware:
    """Ends a site session whose device was signed out elsewhere, and keeps the device cookie set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        device_id = request.session.get(services.DEVICE_SESSION_KEY) if hasattr(request, "session") else None
        if device_id is not None and request.user.is_authenticated:
            device = selectors.device_active(user_id=request.user.pk, device_id=device_id)
            if device is None:
                logout(request)
            else:
                request.wans_device = device
                services.device_touch(device=device, request=request)
        response = self.get_response(request)
        key = getattr(request, "_wans_device_cookie", None)
        if key and request.COOKIES.get(settings.ACCOUNTS_DEVICE_COOKIE) != key:
            response.set_cookie(
                settings.ACCOUNTS_DEVICE_COOKIE,
                key,
                max_age=TWO_YEARS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
