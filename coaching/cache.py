"""A Redis cache that keeps the site up while Redis is down.

The cache holds only rate-limit counters and similar short-lived values; nothing is lost if a
read misses. Without this, a Redis outage turns every sign-in into a 500 (allauth's rate limit
reads the cache). The trade-off, taken knowingly: while Redis is down, login attempts are not
rate-limited. Each failure is logged, so an outage is visible.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


def _fail_open(method_name, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, method_name)(self, *args, **kwargs)
        except _OUTAGE as error:
            logger.warning("Cache unavailable during %s: %s", method_name, error.__class__.__name__)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = method_name
    return method


class ResilientRedisCache(RedisCache):
    get = _fail_open("get", lambda key, default=None, version=None: default)
    get_many = _fail_open("get_many", {})
    set = _fail_open("set", None)
    set_many = _fail_open("set_many", [])
    # add() answers "stored" so that allauth's lock (a loop on add) does not spin.
    add = _fail_open("add", True)
    delete = _fail_open("delete", False)
    delete_many = _fail_open("delete_many", None)
    touch = _fail_open("touch", False)
    has_key = _fail_open("has_key", False)
    incr = _fail_open("incr", lambda key, delta=1, version=None: delta)
