"""Kannel's callbacks: SMS from phones (sms-service) and delivery reports (dlr-url).

Both accept GET and POST, as Kannel may use either. An inbound SMS is stored raw and committed
before anything else, exactly like Africa's Talking's, then processed by the same job.
"""

import logging

from flask import Blueprint, current_app, request

from service import phones
from service.models import utcnow
from service.web.sms import kick_processing, store_inbound
from service.web.webhooks import require_token
from workers.delivery import apply_report
from workers.gateway import kannel

log = logging.getLogger("asuh.sms.kannel")
bp = Blueprint("kannel", __name__)


def plain(text, status=200):
    return text, status, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/sms/kannel/inbound", methods=["GET", "POST"])
@require_token
def inbound():
    """Store first, answer 200, then queue the processing; a repeated %I changes nothing."""
    form = kannel.inbound_fields(
        request.args, request.get_data(), request.mimetype_params.get("charset"), request.method
    )
    if phones.try_normalise(form.get("from", "")[:40]) is None:
        log.info("Kannel inbound without a usable sender refused: %r", form.get("from", "")[:40])
        return plain("from: not a phone number\n", 400)
    inbound_id = store_inbound(form)
    if inbound_id is not None and current_app.config["INBOUND_PROCESSING"]:
        kick_processing(inbound_id)
    return plain("")


@bp.route("/sms/kannel/delivery", methods=["GET", "POST"])
@require_token
def delivery():
    """Apply a delivery report; unknown ids and repeats are answered 200 too."""
    apply_report(kannel.parse_report(request.values), utcnow())
    return plain("")
