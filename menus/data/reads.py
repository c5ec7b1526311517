"""Reads the screens run on every hop: prepared once, and cached briefly per app."""

import time

from flask import current_app

from service.models import db


def prepared(build):
    """A read built once and run on the session's connection: these run on every hop, and
    building a statement and the ORM layer cost more than the query itself."""
    statement = None

    def run(**params):
        nonlocal statement
        if statement is None:
            statement = build()
        return db.session.connection().execute(statement, params)

    return run


def cached(name, key, load, ttl):
    """A per-app value kept for `ttl` seconds (village facts change rarely)."""
    cache = current_app.extensions.setdefault(name, {})
    hit = cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    value = load(key)
    cache[key] = (time.monotonic() + ttl, value)
    return value
