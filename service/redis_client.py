"""The app's Redis connection, with short timeouts so a dead Redis fails fast."""

import redis
from flask import current_app


def init_app(app):
    """Create one client per app; connections are pooled inside it."""
    app.extensions["redis"] = redis.Redis.from_url(
        app.config["REDIS_URL"],
        socket_connect_timeout=0.5,
        socket_timeout=1.0,
        health_check_interval=30,
    )


def get_redis():
    """The current app's Redis client."""
    return current_app.extensions["redis"]


def redis_ok(client):
    """True when Redis answers a PING."""
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
