"""The Redis cache, degrading when Redis is down: with IGNORE_EXCEPTIONS every call that cannot reach it answers
"not cached" (get: the default; set/delete: nothing) after a short socket timeout, and logs it.

One call is changed: `add()` answers True (added) when Redis is down. Its users take a short lock with it (allauth's
rate limits: `while not cache.add(lock)` until a deadline, then 429), and without Redis there is nothing to lock
against: refusing every sign-in because the cache is down would turn a cache outage into an outage of the site."""

from django_redis.cache import RedisCache, omit_exception


class DegradingRedisCache(RedisCache):
    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)
