"""SMS callbacks from every provider: SMS from phones and delivery reports.

Africa's Talking calls /sms/inbound and /sms/delivery (the paths its dashboard was given);
any other registered provider is served at /sms/<name>/inbound and /sms/<name>/delivery.
The provider's module (workers/gateway/<name>.py) reads its own format; this edge only stores
and applies. An inbound SMS is stored raw and committed before anything else, then answered
200 at once; processing runs as an RQ job (workers/inbound.py), or later by the sweep if
Redis is down. With the database down, the answer is 503 (the provider retries) and the
message is kept in Redis until the clock stores it (service.inbox).
"""

import logging
from contextlib import suppress

from flask import Blueprint, abort, current_app, request

from service.inbox import DATABASE_DOWN, keep, provider_id_of, store_inbound
from service.models import db, utcnow
from service.web.webhooks import require_token
from workers.delivery import apply_report
from workers.gateway import HttpCall, InboundRefused, provider_module
from workers.inbound import enqueue_processing

log = logging.getLogger("asuh.sms.inbound")
bp = Blueprint("sms", __name__)

DEFAULT_PROVIDER = "africastalking"  # the provider of the unprefixed paths


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
    try:
        inbound_id = store_inbound(form)
    except DATABASE_DOWN:
        return _kept_for_later(form)
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
    """The request as plain data for the provider's module, without NUL characters: PostgreSQL
    refuses them in any text it is asked to store or compare."""
    return HttpCall(
        method=request.method,
        args=_without_nul(request.args),
        form=_without_nul(request.form),
        body=request.get_data(),  # empty once a form body was parsed into `form`
        charset=request.mimetype_params.get("charset"),
    )


def _without_nul(values):
    return {
        key.replace("\x00", "\ufffd"): value.replace("\x00", "\ufffd")
        for key, value in values.items()
    }


def _plain(text, status=200):
    return text, status, {"Content-Type": "text/plain; charset=utf-8"}


def _kept_for_later(form):
    """503 so the provider retries; a copy waits in Redis in case it gives up first."""
    with suppress(Exception):
        db.session.rollback()
    kept = keep(form)
    log.error("database down: inbound %s %s", provider_id_of(form), "kept" if kept else "LOST")
    return "database unavailable, try again\n", 503, {"Retry-After": "60"}


def kick_processing(inbound_id):
    """Queue the processing job; with Redis down the stored row waits for the sweep."""
    try:
        enqueue_processing(inbound_id)
    except Exception:  # noqa: BLE001 - Redis down: the row is stored, the sweep processes it
        log.warning("could not queue inbound %s; the sweep will process it", inbound_id)
