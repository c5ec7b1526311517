"""Africa's Talking SMS callbacks: inbound messages and delivery reports.

An inbound SMS is stored raw and committed before anything else, then answered 200 at once;
processing runs as an RQ job (workers/inbound.py), or later by the sweep if Redis is down.
With the database down, the answer is 503 (the provider retries) and the message is kept in
Redis until the clock stores it (service.inbox).
"""

import logging
from contextlib import suppress

from flask import Blueprint, current_app, request

from service.inbox import DATABASE_DOWN, keep, provider_id_of, store_inbound
from service.models import db, utcnow
from service.web.webhooks import require_token
from workers.delivery import apply_report
from workers.inbound import enqueue_processing

log = logging.getLogger("asuh.sms.inbound")
bp = Blueprint("sms", __name__)


@bp.post("/sms/inbound")
@require_token
def inbound():
    """Store first, answer 200, then queue the processing; a repeated id changes nothing."""
    form = {_text(k): _text(v) for k, v in request.form.items()}
    try:
        inbound_id = store_inbound(form)
    except DATABASE_DOWN:
        return _kept_for_later(form)
    if inbound_id is not None and current_app.config["INBOUND_PROCESSING"]:
        _kick(inbound_id)
    return "", 200


@bp.post("/sms/delivery")
@require_token
def delivery():
    """Apply a delivery report; unknown ids and repeats are answered 200 too."""
    apply_report(request.form.to_dict(), utcnow())
    return "", 200


def _kept_for_later(form):
    """503 so the provider retries; a copy waits in Redis in case it gives up first."""
    with suppress(Exception):
        db.session.rollback()
    kept = keep(form)
    log.error("database down: inbound %s %s", provider_id_of(form), "kept" if kept else "LOST")
    return "database unavailable, try again\n", 503, {"Retry-After": "60"}


def _text(value):
    """Text a database will take: no NUL characters (PostgreSQL refuses them)."""
    return str(value).replace("\x00", "\ufffd")


def _kick(inbound_id):
    try:
        enqueue_processing(inbound_id)
    except Exception:  # noqa: BLE001 - Redis down: the row is stored, the sweep processes it
        log.warning("could not queue inbound %s; the sweep will process it", inbound_id)
