"""Where live sessions are counted: Redis when configured (an atomic Lua script per account), else the database
(a row lock on the account). Either way PlaybackSession rows mirror every session for history and stats."""

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.conf import settings

from playback.errors import PlaybackUnavailable

P = ParamSpec("P")
R = TypeVar("R")

PREFIX = "wans:pb"

# KEYS[1] the account's live sessions (sorted set: session id -> last heartbeat), KEYS[2] the session's hash.
# ARGV: now, cutoff (now - expiry), limit, session id, ttl seconds, then the hash's field/value pairs.
_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('HSET', KEYS[2], unpack(ARGV, 6))
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1
"""
# A heartbeat refreshes the slot only while it is live (seen within the expiry, and its 4-hour hash still there).
_BEAT = """
local seen = redis.call('ZSCORE', KEYS[1], ARGV[3])
if (not seen) or tonumber(seen) < tonumber(ARGV[2]) or redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[3])
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
return 1
"""


def _fails_closed(function: Callable[P, R]) -> Callable[P, R]:
    """Redis unreachable: no stream slot can be counted, so none is given (a coded 503, not a 500)."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        try:
            return function(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            raise PlaybackUnavailable() from error

    return wrapper


def redis_enabled() -> bool:
    mode = settings.PLAYBACK_SESSION_STORE
    return mode == "redis" or (mode == "auto" and bool(settings.REDIS_URL))


def _client():
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def _keys(user_id: int, session_id: str) -> list[str]:
    return [f"{PREFIX}:user:{user_id}", f"{PREFIX}:session:{session_id}"]


def _cutoff(now: float) -> float:
    return now - settings.PLAYBACK_HEARTBEAT_EXPIRY_SECONDS


@_fails_closed
def slot_take(*, user_id: int, session_id: str, limit: int, fields: dict[str, str]) -> bool:
    now = time.time()
    client = _client()
    pairs = [str(item) for pair in fields.items() for item in pair]
    ttl = settings.PLAYBACK_SESSION_HOURS * 3600
    args = [now, _cutoff(now), limit, session_id, ttl, *pairs]
    return bool(client.eval(_TAKE, 2, *_keys(user_id, session_id), *args))


@_fails_closed
def slot_beat(*, user_id: int, session_id: str) -> bool:
    now = time.time()
    return bool(_client().eval(_BEAT, 2, *_keys(user_id, session_id), now, _cutoff(now), session_id))


@_fails_closed
def slot_live(*, user_id: int, session_id: str) -> bool:
    client = _client()
    users, session = _keys(user_id, session_id)
    seen = client.zscore(users, session_id)
    return seen is not None and seen >= _cutoff(time.time()) and bool(client.exists(session))


@_fails_closed
def slot_release(*, user_id: int, session_id: str) -> None:
    users, session = _keys(user_id, session_id)
    client = _client()
    client.zrem(users, session_id)
    client.delete(session)


@_fails_closed
def slots_live(*, user_id: int) -> list[str]:
    users, _ = _keys(user_id, "")
    ids = _client().zrangebyscore(users, _cutoff(time.time()), "+inf")
    return [i.decode() if isinstance(i, bytes) else i for i in ids]
