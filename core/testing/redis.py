"""A Redis that does not answer, for the tests of what still works when Redis is down (issue 25, item 4)."""

DEAD_REDIS_URL = "redis://127.0.0.1:6390/0"  # nothing listens there


def point_at_dead_redis(settings) -> None:
    """The production wiring (wans/settings/base.py with REDIS_URL set), aimed at a port where nothing listens."""
    settings.REDIS_URL = DEAD_REDIS_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": DEAD_REDIS_URL,
            "KEY_PREFIX": "wans",
            "OPTIONS": settings.WANS_REDIS_CACHE_OPTIONS,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CELERY_BROKER_URL = DEAD_REDIS_URL
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
    settings.PLAYBACK_SESSION_STORE = "auto"
