"""Jobs run inside an app context: their own DB session, the app's config.

A job enqueued from a request or a CLI command runs in that app. A worker process builds its
own app with the factory its entry point handed in (`set_app_factory`), once per process and
again after a fork, so no DB connection is shared; workers never import the app factory.
"""

import os
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, has_app_context

_factory: Callable[[], Flask] | None = None
_app: Flask | None = None
_pid: int | None = None


def set_app_factory(factory: Callable[[], Flask]) -> None:
    """The entry point (`asuh`, a test) says how a worker process builds its app."""
    global _factory, _app
    _factory, _app = factory, None


def _app_for_process() -> Flask:
    """One app per worker process, rebuilt after a fork so no DB connection is shared."""
    global _app, _pid
    if _factory is None:
        raise RuntimeError("no app factory: call workers.context.set_app_factory(create_app)")
    if _app is None or _pid != os.getpid():
        _app, _pid = _factory(), os.getpid()
    return _app


def job(func):
    """Decorate an RQ job so it gets an app context and a session of its own."""

    @wraps(func)
    def run(*args, **kwargs):
        app = current_app._get_current_object() if has_app_context() else _app_for_process()  # type: ignore[attr-defined]
        with app.app_context():
            return func(*args, **kwargs)

    return run
