"""SMS callbacks from every provider: SMS from phones and delivery reports.

Africa's Talking calls /sms/inbound and /sms/delivery (the paths its dashboard was given);
any other registered provider is served at /sms/<name>/inbound and /sms/<name>/delivery.
The provider's module (workers/gateway/<name>.py) reads its own format; this edge only stores
and applies. An inbound SMS is stored raw and committed before anything else, then answered
200 at once; processing runs as an RQ job (workers/inbound.py), or later by the sweep if
Redis is down.
"""

import hashlib
import json
import logging

from flask import Blueprint, abort, current_app, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.models import InboundMessage, db, utcnow
from service.web.webhooks import require_token
from workers.delivery import apply_report
from workers.gateway import HttpCall, InboundRefused, provider_module
from workers.inbound import enqueue_processing

log = logging.getLogger("asuh.sms.inbound")
bp = Blueprint("sms", __name__)

DEFAULT_PROVIDER = "africastalking"  # the provider of the unprefixed paths
MAX_PROVIDER_ID = 80
MAX_PHONE = 32
MAX_DATE = 40


@bp.post("/sms/inbound")
@require_token
def inbound():
    """Africa's Talking's SMS from a phone."""
    return receive(DEFAULT_PROVIDER)


@bp.post("/sms/delivery")
@require_token
def delivery():
    """Africa's Talking's delivery report."""
    return report(DEFAULT_PROVIDER)


@bp.route("/sms/<provider>/inbound", methods=["GET", "POST"])
@require_token
def provider_inbound(provider):
    """Another provider's SMS from a phone (Kannel's sms-service uses GET or POST)."""
    return receive(provider)


@bp.route("/sms/<provider>/delivery", methods=["GET", "POST"])
@require_token
def provider_delivery(provider):
    """Another provider's delivery report."""
    return report(provider)


def receive(provider):
    """Store first, answer 200, then queue the processing; a repeated id changes nothing."""
    try:
        form = _protocol(provider, "inbound_fields")(_call())
    except InboundRefused as refusal:
        log.info("%s inbound refused: %s", provider, refusal)
        return _plain(f"{refusal}\n", 400)
    inbound_id = store_inbound(form)
    if inbound_id is not None and current_app.config["INBOUND_PROCESSING"]:
        kick_processing(inbound_id)
    return _plain("")


def report(provider):
    """Apply a delivery report; unknown ids and repeats are answered 200 too."""
    apply_report(_protocol(provider, "parse_report")(_call()), utcnow())
    return _plain("")


def _protocol(provider, function):
    """The provider module's reader for this callback; 404 for a provider without one."""
    module = provider_module(provider)
    if module is None or not hasattr(module, function):
        abort(404)
    return getattr(module, function)


def _call():
    """The request as plain data for the provider's module."""
    return HttpCall(
        method=request.method,
        args=request.args.to_dict(),
        form=request.form.to_dict(),
        body=request.get_data(),  # empty once a form body was parsed into `form`
        charset=request.mimetype_params.get("charset"),
    )


def _plain(text, status=200):
    return text, status, {"Content-Type": "text/plain; charset=utf-8"}


def store_inbound(form):
    """The new row's id, or None when this provider id was already stored."""
    provider_id = provider_id_of(form)
    if db.session.scalar(
        select(InboundMessage.id).where(InboundMessage.provider_id == provider_id)
    ):
        return None
    text, truncated_from = capped_text(form.get("text", ""))
    row = InboundMessage(
        provider_id=provider_id,
        from_phone=form.get("from", "")[:MAX_PHONE],
        to=form.get("to", "")[:MAX_PHONE] or None,
        text=text,
        truncated_from=truncated_from,
        date=form.get("date", "")[:MAX_DATE] or None,
        raw={**form, "text": text},
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:  # the same id posted twice at the same moment
        db.session.rollback()
        return None
    return row.id


def capped_text(text):
    """(text, None), or the first INBOUND_MAX_TEXT characters and the length they were cut from:
    no phone sends more than ten parts, so anything longer is noise or abuse."""
    limit = current_app.config["INBOUND_MAX_TEXT"]
    if len(text) <= limit:
        return text, None
    return text[:limit], len(text)


def provider_id_of(form):
    """AT's id; a missing or oversized one is replaced by a digest, so repeats still match."""
    given = form.get("id", "").strip()
    if given and len(given) <= MAX_PROVIDER_ID:
        return given
    source = given or json.dumps(form, sort_keys=True)
    return "sha256:" + hashlib.sha256(source.encode("utf-8", "replace")).hexdigest()


def kick_processing(inbound_id):
    """Queue the processing job; with Redis down the stored row waits for the sweep."""
    try:
        enqueue_processing(inbound_id)
    except Exception:  # noqa: BLE001 - Redis down: the row is stored, the sweep processes it
        log.warning("could not queue inbound %s; the sweep will process it", inbound_id)
