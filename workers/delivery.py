"""Delivery reports: move an outbox row forward by what the network says, never backwards.

Each provider's module turns its own report format into a DeliveryReport that speaks only
MessageStatus; this module applies it. A report is one indexed UPDATE, so the webhook applies
it inline. A report can overtake its own send: Kannel reports within milliseconds, while the
sender records Kannel's answer only when its request batch is done. Such a report waits in a
job until the sender has let go of the row.
"""

import logging
from dataclasses import asdict

from rq import Retry
from sqlalchemy import select

from service.models import OutboxMessage, db, utcnow
from service.states import MessageStatus
from workers import outcomes
from workers.context import job
from workers.gateway import DeliveryReport
from workers.queues import OUTBOUND, enqueue

log = logging.getLogger("asuh.delivery")

LATE_REPORT_RETRIES = [2, 10, 30, 120, 600]  # seconds; a send batch takes far less
MAX_ROW_ID = 2**31 - 1  # the outbox id column is a 32-bit integer


class SendInFlight(Exception):
    """The row's sender has not recorded the gateway's answer yet."""


def apply_report(report, now):
    """Apply one parsed report (None is ignored); True if a row changed."""
    if report is None or report.status is None:
        return False
    try:
        return _apply_now(report, now)
    except SendInFlight:
        _apply_later(report)
        return False


@job
def apply_late_report(fields, now=None):
    """A report that arrived while its row was being sent; RQ retries it until it applies."""
    report = DeliveryReport(**{**fields, "status": MessageStatus(fields["status"])})
    return _apply_now(report, now or utcnow())


def _apply_now(report, now):
    row = _locked_row(report)
    if row is None:
        db.session.rollback()
        return False
    if _send_in_flight(row, now):
        db.session.rollback()
        raise SendInFlight(f"outbox {row.id} is being sent")
    changed = _apply(row, report, now)
    if changed:
        db.session.commit()
    else:
        db.session.rollback()
    return changed


def _locked_row(report):
    """The row the report names, by our outbox id or by the provider's message id."""
    if report.outbox_id is not None:
        if not 0 < report.outbox_id <= MAX_ROW_ID:
            return None  # no such row; PostgreSQL would refuse the number outright
        where = OutboxMessage.id == report.outbox_id
    elif report.provider_id:
        where = OutboxMessage.provider_id == report.provider_id
    else:
        return None
    return db.session.scalar(select(OutboxMessage).where(where).with_for_update())


def _send_in_flight(row, now):
    return (
        row.status == MessageStatus.PENDING
        and row.claimed_until is not None
        and (row.claimed_until > now)
    )


def _apply_later(report):
    fields = {**asdict(report), "status": str(report.status)}
    try:
        enqueue(
            OUTBOUND,
            apply_late_report,
            fields,
            retry=Retry(max=len(LATE_REPORT_RETRIES), interval=LATE_REPORT_RETRIES),
        )
    except Exception:  # noqa: BLE001 - Redis down: the row keeps its last known status
        log.warning("could not queue a late delivery report for outbox %s", report.outbox_id)


def _apply(row, report, now):
    if row.status == MessageStatus.PENDING and row.attempts == 0:
        return False  # never handed to a gateway: a report cannot be about it
    if report.status == MessageStatus.DELIVERED:
        return _delivered(row, now)
    if report.status == MessageStatus.SENT:
        return _in_flight(row, now)
    if report.status == MessageStatus.FAILED:
        return _failed(row, report, now)
    return False


def _delivered(row, now):
    if row.status in (MessageStatus.DELIVERED, MessageStatus.CANCELLED):
        return False
    outcomes.message_delivered(row, now)
    return True


def _in_flight(row, now):
    """Only a row we had not yet seen leave moves to sent; a late "sent" never downgrades."""
    if row.status != MessageStatus.PENDING:
        return False
    row.status, row.sent_at, row.claimed_until = MessageStatus.SENT, row.sent_at or now, None
    row.failure_reason = None
    return True


def _failed(row, report, now):
    if row.status not in (MessageStatus.SENT, MessageStatus.PENDING):
        return False
    reason = report.reason or "failed"
    outcomes.message_failed(row, reason, now, phone_absent=report.phone_absent)
    return True
