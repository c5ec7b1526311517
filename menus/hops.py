"""Each USSD hop is carried out once: a hop posted twice (a network retry, or two identical
posts at the same moment) gets the first one's reply and writes nothing again.

The first post of a (session, phone, text) claims it in Redis with SET NX and stores its reply
there when done; a repeat waits briefly for that reply. Should the first still be working
after that, the repeat is answered from the session's path with every write held back, as a
replay is. A first post that died without answering holds its claim only WORKING_TTL
seconds, after which a retry carries the hop out itself.
"""

import hashlib
import time

from service.redis_keys import USSD_HOP, key

WORKING = "\x00"  # the first post is still being answered
WORKING_TTL = 30  # far longer than a hop takes, shorter than a caller waits for a retry
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.05


def hop_key(session_id, phone, text):
    digest = hashlib.sha256(f"{phone}\x00{text}".encode()).hexdigest()[:32]
    return key(USSD_HOP, session_id=session_id, digest=digest)


def claim(redis, name):
    """True for the first post of this hop; False for a repeat."""
    return bool(redis.set(name, WORKING, nx=True, ex=WORKING_TTL))


def earlier_reply(redis, name, wait=WAIT_SECONDS, sleep=time.sleep):
    """The reply the first post gave, waiting up to `wait` seconds for it; None if none came."""
    deadline = time.monotonic() + wait
    while True:
        raw = redis.get(name)
        if raw is not None and raw.decode() != WORKING:
            return raw.decode()
        if raw is None or time.monotonic() >= deadline:
            return None
        sleep(POLL_SECONDS)


def remember(redis, name, reply, ttl):
    """Keep the first post's reply for its repeats."""
    redis.set(name, reply, ex=ttl)


def release(redis, name):
    """The first post failed: let a retry carry the hop out."""
    redis.delete(name)
