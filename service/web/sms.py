"""Africa's Talking SMS callbacks: inbound messages and delivery reports.

An inbound SMS is stored raw and committed before anything else, then answered 200 at once;
processing runs as an RQ job (workers/inbound.py), or later by the sweep if Redis is down.
"""

import hashlib
import json
import logging

from flask import Blueprint, current_app, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.models import InboundMessage, db, utcnow
from service.web.webhooks import require_token
from workers.delivery import apply_report
from workers.inbound import enqueue_processing

log = logging.getLogger("asuh.sms.inbound")
bp = Blueprint("sms", __name__)

MAX_PROVIDER_ID = 80
MAX_PHONE = 32
MAX_DATE = 40


@bp.post("/sms/inbound")
@require_token
def inbound():
    """Store first, answer 200, then queue the processing; a repeated id changes nothing."""
    form = {_text(k): _text(v) for k, v in request.form.items()}
    inbound_id = store_inbound(form)
    if inbound_id is not None and current_app.config["INBOUND_PROCESSING"]:
        _kick(inbound_id)
    return "", 200


@bp.post("/sms/delivery")
@require_token
def delivery():
    """Apply a delivery report; unknown ids and repeats are answered 200 too."""
    apply_report({_text(k): _text(v) for k, v in request.form.items()}, utcnow())
    return "", 200


def store_inbound(form):
    """The new row's id, or None when this provider id was already stored."""
    provider_id = provider_id_of(form)
    if db.session.scalar(
        select(InboundMessage.id).where(InboundMessage.provider_id == provider_id)
    ):
        return None
    row = InboundMessage(
        provider_id=provider_id,
        from_phone=form.get("from", "")[:MAX_PHONE],
        to=form.get("to", "")[:MAX_PHONE] or None,
        text=form.get("text", ""),
        date=form.get("date", "")[:MAX_DATE] or None,
        raw=form,
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # the same id posted twice at the same moment
        db.session.rollback()
        return None
    return row.id


def provider_id_of(form):
    """AT's id; a missing or oversized one is replaced by a digest, so repeats still match."""
    given = form.get("id", "").strip()
    if given and len(given) <= MAX_PROVIDER_ID:
        return given
    source = given or json.dumps(form, sort_keys=True)
    return "sha256:" + hashlib.sha256(source.encode("utf-8", "replace")).hexdigest()


def _text(value):
    """Text a database will take: no NUL characters (PostgreSQL refuses them)."""
    return str(value).replace("\x00", "\ufffd")


def _kick(inbound_id):
    try:
        enqueue_processing(inbound_id)
    except Exception:  # noqa: BLE001 - Redis down: the row is stored, the sweep processes it
        log.warning("could not queue inbound %s; the sweep will process it", inbound_id)
