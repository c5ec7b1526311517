"""Jobs run inside a fresh app context: their own DB session, the app's config."""

import os
from functools import wraps

from flask import current_app, has_app_context

_app = None
_pid = None


def _app_for_process():
    """One app per worker process, rebuilt after a fork so no DB connection is shared."""
    global _app, _pid
    if _app is None or _pid != os.getpid():
        from service import create_app

        _app, _pid = create_app(), os.getpid()
    return _app


def job(func):
    """Decorate an RQ job so it gets an app context and a session of its own."""

    @wraps(func)
    def run(*args, **kwargs):
        app = current_app._get_current_object() if has_app_context() else _app_for_process()
        with app.app_context():
            return func(*args, **kwargs)

    return run
