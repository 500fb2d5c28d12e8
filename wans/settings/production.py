"""Production: debug off, a real secret key required, HTTPS everywhere. Passes `manage.py check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_str
from wans.settings.base import *  # noqa: F403
from wans.settings.base import SECRET_KEY

DEBUG = env_bool("DJANGO_DEBUG", False)
WANS_PRODUCTION = True
# Anyone can send CF-IPCountry: believe it only from WANS_COUNTRY_HEADER_PROXIES, or everywhere when explicitly on
# (a CDN in front that overwrites it on every request and is the only way in).
WANS_TRUST_COUNTRY_HEADER = env_bool("WANS_TRUST_COUNTRY_HEADER", False)
if SECRET_KEY.startswith("wans-local-development-key"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
# Film keys are sealed with TRANSCODING_KEY_MASTER: never the development default here. Unset, packaging and key
# delivery refuse to run (transcoding.keys) rather than seal keys with a published value.
TRANSCODING_KEY_MASTER = env_str("TRANSCODING_KEY_MASTER", "")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain HTTP inside the cluster
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
WANS_SITE_URL = env_str("WANS_SITE_URL", "https://wans.example")
