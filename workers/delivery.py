"""Delivery reports: move an outbox row forward by what the network says, never backwards.

A report is one indexed UPDATE, so it is applied inline by the webhook rather than queued.
A report whose id we never learnt (the sender died before reading the gateway's answer, or
the report overtook it) is matched by its number to the row in flight to that number: it
proves the request reached the gateway, so that row is settled and never sent again.
"""

from sqlalchemy import select

from service.models import OutboxMessage, db
from service.states import MessageStatus
from workers import outcomes

DELIVERED = {"Success"}
IN_FLIGHT = {"Sent", "Submitted", "Buffered"}
FAILED = {"Rejected", "Failed", "Expired", "AbsentSubscriber"}
MAX_PROVIDER_ID = 80


def apply_report(report, now):
    """Apply one AT report (id, status, phoneNumber[, failureReason]); True if a row changed."""
    provider_id = (report.get("id") or "").strip()
    if not provider_id or len(provider_id) > MAX_PROVIDER_ID:
        return False
    row = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.provider_id == provider_id).with_for_update()
    )
    if row is None:
        row = _in_flight_to((report.get("phoneNumber") or "").strip(), provider_id)
    changed = row is not None and _apply(row, report, now)
    if changed:
        db.session.commit()
    else:
        db.session.rollback()
    return changed


def _in_flight_to(phone, provider_id):
    """The oldest row in flight to this number, now known by the report's provider id."""
    if not phone:
        return None
    row = db.session.scalar(
        select(OutboxMessage)
        .where(
            OutboxMessage.to_phone == phone,
            OutboxMessage.status == MessageStatus.PENDING,
            OutboxMessage.in_flight_since.is_not(None),
            OutboxMessage.provider_id.is_(None),
        )
        .order_by(OutboxMessage.in_flight_since, OutboxMessage.id)
        .limit(1)
        .with_for_update()
    )
    if row is not None:
        row.provider_id, row.sent_at = provider_id, row.in_flight_since
        row.in_flight_since = None
    return row


def _apply(row, report, now):
    status = (report.get("status") or "").strip()
    if status in DELIVERED:
        return _delivered(row, now)
    if status in IN_FLIGHT:
        return _in_flight(row, now)
    if status in FAILED:
        reason = (report.get("failureReason") or "").strip() or status
        return _failed(row, reason, now)
    return False


def _delivered(row, now):
    if row.status in (MessageStatus.DELIVERED, MessageStatus.CANCELLED):
        return False
    outcomes.message_delivered(row, now)
    return True


def _in_flight(row, now):
    """Only a row we had not yet seen leave moves to sent; a late "Sent" never downgrades."""
    if row.status != MessageStatus.PENDING:
        return False
    row.status, row.sent_at, row.claimed_until = MessageStatus.SENT, row.sent_at or now, None
    return True


def _failed(row, reason, now):
    if row.status not in (MessageStatus.SENT, MessageStatus.PENDING):
        return False
    outcomes.message_failed(row, reason, now)
    return True
