"""POST /ussd and /ussd/events: Africa's Talking's USSD callbacks, answered by menus.engine.

The callback and answer format (CON/END, 182 characters) belong to Africa's Talking's module;
the engine only says what the screen shows and whether the session ends.
"""

import logging

from flask import Blueprint, Response, request

from menus.engine import end_session, respond
from service.web.webhooks import require_token
from workers.gateway import africastalking as at

bp = Blueprint("ussd", __name__)
log = logging.getLogger("asuh.ussd")


def plain(text):
    return Response(text, status=200, mimetype="text/plain")


@bp.post("/ussd")
@require_token
def ussd():
    """One hop: `text` is every key so far joined by `*` (empty when the caller dials)."""
    hop = at.ussd_hop(request.form)
    reply = respond(hop.session_id, hop.phone, hop.text, screen_chars=at.USSD_SCREEN_CHARS)
    return plain(at.ussd_answer(reply.text, reply.ended))


@bp.post("/ussd/events")
@require_token
def ussd_events():
    """End-of-session notice: free the session's state now rather than at its expiry."""
    session_id = at.ussd_session_id(request.form)
    if session_id:
        end_session(session_id)
    log.info("ussd session %s ended: %s", session_id, request.form.get("status", ""))
    return plain("OK")
