"""The one way to send an SMS: write an outbox row; sending is kicked after the commit."""

import logging

from sqlalchemy import event, select

from service.models import OptOut, OutboxMessage, db
from service.states import MessageStatus

log = logging.getLogger(__name__)
NEW_IDS = "asuh_new_outbox_ids"


def segment_count(body):
    """SMS parts the body takes (GSM-7 or UCS-2)."""
    try:
        from messages.gsm import segment_info
    except ImportError:  # pragma: no cover - only before messages.gsm exists
        return max(1, -(-len(body) // 153))
    return segment_info(body).segments


def is_opted_out(phone):
    """True when the number said STOP and has not said START since."""
    return db.session.scalar(select(OptOut.id).where(OptOut.phone == phone)) is not None


def queue_sms(to, body, kind, key, *, respect_opt_out=True, **links):
    """Add an outbox row unless the key exists or the number opted out; returns it or None.

    `links` are optional columns: language, village_id, enrollment_id, meeting_id, lesson_id,
    send_after. Nothing is committed here: the row joins the caller's transaction.
    """
    if respect_opt_out and is_opted_out(to):
        return None
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
    if existing is not None:
        return None
    row = OutboxMessage(
        idempotency_key=key,
        to_phone=to,
        body=body,
        kind=str(kind),
        status=MessageStatus.PENDING,
        segments=segment_count(body),
        respect_opt_out=respect_opt_out,
        **links,
    )
    db.session.add(row)
    return row


def init_app(app):
    """Listen to the app's sessions so new outbox rows are sent right after they commit."""
    session_class = db.session.session_factory.class_
    if getattr(session_class, "_asuh_outbox_hooked", False):
        return
    session_class._asuh_outbox_hooked = True
    event.listen(session_class, "after_flush", _collect_new_ids)
    event.listen(session_class, "after_commit", _kick_sender)
    event.listen(session_class, "after_rollback", _forget_ids)


def _collect_new_ids(session, flush_context):
    new_ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if new_ids:
        session.info.setdefault(NEW_IDS, []).extend(new_ids)


def _forget_ids(session):
    session.info.pop(NEW_IDS, None)


def _kick_sender(session):
    ids = session.info.pop(NEW_IDS, None)
    if not ids:
        return
    try:
        from workers.send import enqueue_send

        enqueue_send(ids)
    except Exception:  # noqa: BLE001 - Redis down: the sweep sends the rows later
        log.warning("could not enqueue send of %d outbox rows; the sweep will", len(ids))
