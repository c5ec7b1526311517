"""Delivery reports: move an outbox row forward by what the network says, never backwards.

Each provider's module turns its own report format into a DeliveryReport that speaks only
MessageStatus; this module applies it. A report is one indexed UPDATE, so the webhook applies
it inline, at once, even when it overtakes its own send (Kannel reports within milliseconds,
before the sender has read Kannel's answer): the sender, meeting a row a report has settled,
keeps what the report said and only fills in what the answer carries (workers.send). A report
whose provider id we never learnt (the sender died before reading the answer) is matched by its
number to the row in flight to that number: it proves the request reached the gateway, so that
row is never sent again. Only a report about a row that a sender has claimed but not yet sent
(an earlier attempt's late report) waits in a job until the sender lets go of the row.
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
from workers.transactions import write_lock

log = logging.getLogger("asuh.delivery")

LATE_REPORT_RETRIES = [2, 10, 30, 120, 600]  # seconds; a send batch takes far less
MAX_ROW_ID = 2**31 - 1  # the outbox id column is a 32-bit integer


class AwaitingItsSend(Exception):
    """A sender has claimed the row and not yet made its request: it would overwrite us."""


def apply_report(report, now):
    """Apply one parsed report (None is ignored); True if a row changed."""
    if report is None or report.status is None:
        return False
    try:
        return _apply_now(report, now)
    except AwaitingItsSend:
        _apply_later(report)
        return False


@job
def apply_late_report(fields, now=None):
    """A report that arrived while its row waited for its sender; RQ retries it until it applies."""
    report = DeliveryReport(**{**fields, "status": MessageStatus(fields["status"])})
    return _apply_now(report, now or utcnow())


def _apply_now(report, now):
    write_lock()  # SQLite: two reports for one row (8, then 1) must not both read it pending
    row = _locked_row(report)
    if row is None:
        db.session.rollback()
        return False
    if _awaiting_its_send(row, now):
        db.session.rollback()
        raise AwaitingItsSend(f"outbox {row.id} is claimed by a sender")
    changed = _apply(row, report, now)
    if changed:
        row.in_flight_since = None  # settled: the sender, if alive, keeps what we said
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
    row = db.session.scalar(select(OutboxMessage).where(where).with_for_update())
    if row is None and report.provider_id and report.phone:
        row = _in_flight_to(report.phone, report.provider_id)
    return row


def _in_flight_to(phone, provider_id):
    """The oldest row in flight to this number, now known by the report's provider id."""
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
    return row


def _awaiting_its_send(row, now):
    """Claimed by a live sender that has not sent it yet; a row in flight is settled at once."""
    return (
        row.status == MessageStatus.PENDING
        and row.in_flight_since is None
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
