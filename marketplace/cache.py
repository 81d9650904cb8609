"""A Redis cache that a stopped or unreachable Redis degrades instead of breaking.

Django's own RedisCache raises redis' ConnectionError into the view, so a stopped cache turns every page
that touches the cache into a 500. The site keeps nothing in the cache that it cannot rebuild from
PostgreSQL (docs/architecture.md, "Performance"), so `ResilientRedisCache` treats an unreachable Redis as
an empty cache that forgets what it is told: reads return the default, writes do nothing, and each outage
is logged as one warning per process (and its end as one info line), not one per call.

After a failure the process does not ask Redis again for `RETRY_AFTER` seconds (OPTIONS "RETRY_AFTER",
default 2): a Redis that hangs instead of refusing connections would otherwise cost every cache call a
socket timeout. The connection and socket timeouts are short by default for the same reason and can be
set in OPTIONS like every other redis-py pool option.

Rate limits (marketplace/ratelimit.py) count with add/incr: while Redis is unreachable `incr` answers
`delta`, as for a counter that has just started, so every limit fails open (docs/security.md says why).
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)
DEFAULT_OPTIONS = {
    # Loopback or a LAN: a healthy Redis answers in well under a millisecond.
    "socket_connect_timeout": 0.25,
    "socket_timeout": 0.5,
    # No retries inside one call: the next call after RETRY_AFTER is the retry.
    "retry": Retry(NoBackoff(), 0),
}


class ResilientRedisCache(RedisCache):
    """RedisCache whose reads and writes degrade to "not cached" while Redis cannot be reached."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER", 2.0))
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **options}}
        super().__init__(server, params)
        self._down_until = 0.0
        self._in_outage = False
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """False while the last failure is less than RETRY_AFTER seconds ago."""
        return time.monotonic() >= self._down_until

    def _guard(self, call, fallback):
        if not self.available:
            return fallback
        try:
            result = call()
        except OUTAGE_ERRORS as error:
            with self._lock:
                first, self._in_outage = not self._in_outage, True
                self._down_until = time.monotonic() + self.retry_after
            if first:
                logger.warning("Cache unreachable, serving without it until it answers again: %s", error)
            return fallback
        if self._in_outage:
            self._in_outage = False
            logger.info("Cache reachable again")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        # A counter nobody can read counts as just started: rate limits fail open during an outage.
        return self._guard(lambda: super(ResilientRedisCache, self).incr(key, delta, version), delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = list(data)
        return self._guard(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), failed)

    def delete_many(self, keys, version=None):
        self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard(lambda: super(ResilientRedisCache, self).clear(), False)
