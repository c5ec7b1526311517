"""Send outbox rows through the gateway seam, identical bodies together in one request."""

from collections import defaultdict

from sqlalchemy import select

from service.models import OutboxMessage, db, utcnow
from service.outbox import is_opted_out
from service.states import MessageStatus
from workers.context import job
from workers.gateway import Batch, get_gateway
from workers.queues import OUTBOUND, enqueue


def enqueue_send(ids):
    """Queue a send job for these outbox ids (called after the rows commit)."""
    enqueue(OUTBOUND, send_messages, list(ids))


@job
def send_messages(ids):
    """Send the pending rows among `ids`; rows already sent or cancelled are left alone."""
    rows = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.id.in_(ids), OutboxMessage.status == MessageStatus.PENDING
        )
    ).all()
    gateway = get_gateway()
    for body, group in _group_by_body(rows).items():
        _send_group(gateway, body, group)
    db.session.commit()


def _group_by_body(rows):
    groups = defaultdict(list)
    for row in rows:
        if is_opted_out(row.to_phone):
            row.status = MessageStatus.CANCELLED
            row.failure_reason = "opted out"
            continue
        groups[row.body].append(row)
    return groups


def _send_group(gateway, body, rows):
    by_phone = {row.to_phone: row for row in rows}
    results = gateway.send(Batch(body=body, phones=list(by_phone)))
    now = utcnow()
    for result in results:
        row = by_phone.get(result.phone)
        if row is None:
            continue
        row.attempts += 1
        row.provider_id = result.provider_id
        row.cost = result.cost
        if result.ok:
            row.status, row.sent_at = MessageStatus.SENT, now
        elif not result.retryable:
            row.status, row.failure_reason = MessageStatus.FAILED, result.reason
