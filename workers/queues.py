"""The project's RQ queues, named once, in the order a worker serves them."""

import redis
from flask import current_app
from rq import Queue

INBOUND = "asuh-inbound"  # parse what people sent: they are waiting for an answer
OUTBOUND = "asuh-outbound"  # send SMS
SCHEDULE = "asuh-schedule"  # dispatch ticks, sweeps, summaries
ALL = (INBOUND, OUTBOUND, SCHEDULE)


def worker_connection(url=None):
    """A Redis client without read timeouts: workers block on BLPOP for a long time."""
    return redis.Redis.from_url(url or current_app.config["REDIS_URL"])


def get_queue(name):
    """A queue on the app's Redis."""
    return Queue(name, connection=current_app.extensions["redis"])


def enqueue(name, func, *args, **options):
    """Put a job on a named queue; options are RQ's (retry=, job_id=, ...)."""
    return get_queue(name).enqueue(func, *args, **options)
