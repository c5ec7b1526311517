"""What every gateway callback shares: the token check."""

import hmac
from functools import wraps

from flask import abort, current_app, request


def require_token(view):
    """403 and no side effect unless `?token=` matches WEBHOOK_TOKEN; 413 for oversized bodies."""

    @wraps(view)
    def guarded(*args, **kwargs):
        request.max_content_length = current_app.config["MAX_WEBHOOK_BYTES"]
        given = request.args.get("token", "")
        expected = current_app.config["WEBHOOK_TOKEN"]
        if not hmac.compare_digest(given.encode(), expected.encode()):
            abort(403)
        return view(*args, **kwargs)

    return guarded
