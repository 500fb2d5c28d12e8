from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class DeviceJWTScheme(SimpleJWTScheme):
    """Documents our device-bound JWT authentication as the bearer scheme it is."""

    target_class = "accounts.authentication.DeviceJWTAuthentication"
    name = "jwtAuth"
