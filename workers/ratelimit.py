"""A token bucket in Redis, so the gateway rate cap holds across every worker process."""

import time

from service.redis_keys import SMS_RATE_BUCKET

# KEYS[1] bucket; ARGV: rate per second, capacity, tokens wanted, now (seconds, float)
# Returns 0 when the tokens were taken, else the seconds to wait before asking again.
_TAKE = """
local rate, capacity = tonumber(ARGV[1]), tonumber(ARGV[2])
local wanted, now = tonumber(ARGV[3]), tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
if tokens >= wanted then
  redis.call('HSET', KEYS[1], 'tokens', tokens - wanted, 'at', now)
  redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
  return '0'
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
return tostring((wanted - tokens) / rate)
"""


class RateLimiter:
    """Take `n` tokens before each gateway request; waits when the shared bucket is empty."""

    def __init__(self, redis, per_second, key=SMS_RATE_BUCKET, clock=time.time, sleep=time.sleep):
        self.redis, self.rate, self.key = redis, float(per_second), key
        self.capacity = max(1.0, self.rate)  # at most one second's worth in a burst
        self.clock, self.sleep = clock, sleep
        self._take = redis.register_script(_TAKE)

    def try_take(self, wanted):
        """0.0 when taken now, else how long to wait."""
        wanted = min(float(wanted), self.capacity)
        return float(
            self._take(keys=[self.key], args=[self.rate, self.capacity, wanted, self.clock()])
        )

    def take(self, wanted):
        """Block until `wanted` tokens are ours, a second's worth at a time."""
        remaining = float(wanted)
        while remaining > 0:
            chunk = min(remaining, self.capacity)
            wait = self.try_take(chunk)
            if wait <= 0:
                remaining -= chunk
            else:
                self.sleep(min(wait, 1.0))
