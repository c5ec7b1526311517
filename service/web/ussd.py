"""POST /ussd and /ussd/events: Africa's Talking's USSD callbacks, answered by menus.engine."""

import logging

from flask import Blueprint, Response, request

from menus.engine import end_session, respond
from service.web.webhooks import require_token

bp = Blueprint("ussd", __name__)
log = logging.getLogger("asuh.ussd")


def plain(text):
    return Response(text, status=200, mimetype="text/plain")


@bp.post("/ussd")
@require_token
def ussd():
    """One hop: `text` is every key so far joined by `*` (empty when the caller dials)."""
    form = request.form
    reply = respond(form.get("sessionId", ""), form.get("phoneNumber", ""), form.get("text", ""))
    return plain(reply)


@bp.post("/ussd/events")
@require_token
def ussd_events():
    """End-of-session notice: free the session's state now rather than at its expiry."""
    session_id = request.form.get("sessionId", "")
    if session_id:
        end_session(session_id)
    log.info("ussd session %s ended: %s", session_id, request.form.get("status", ""))
    return plain("OK")
