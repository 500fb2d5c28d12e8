"""Counters in the cache, shared by the segment throttle and the QoE report (a leaf: imports no playback module)."""

from django.core.cache import cache


def counter_increment(name: str, *, timeout: int) -> int:
    """The counter `name` plus one (made at 1 when missing). Atomic on Redis and within one local-memory cache."""
    if cache.add(name, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr: this request opens a new count
        cache.add(name, 1, timeout=timeout)
        return 1
