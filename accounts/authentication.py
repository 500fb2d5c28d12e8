from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication

from accounts import selectors, services


class DeviceJWTAuthentication(JWTAuthentication):
    """simplejwt's bearer tokens, valid only while the device they were issued to is signed in."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        device = selectors.device_active(user_id=user.pk, device_id=token.get("did"))
        if device is None:
            raise AuthenticationFailed("This device has been signed out. Sign in again.", code="device_signed_out")
        request._request.wans_device = device
        services.device_touch(device=device, request=request._request)
        return user, token
