"""The one rule for rows a cancel or re-address may still change: pending, and unclaimed.

A sender claims rows (`claimed_until`) before its request goes out and commits the result
right after; a claimed row may be on its way, so nothing here touches it. A row whose request
went out without an answer (`in_flight_since`: the sender died waiting) may have reached the
phone: it stays untouched until SEND_REPORT_WAIT_SECONDS have passed without a delivery
report, and only then may it be sent again. Every cancel and re-address (STOP, HAPUS, GANTI,
a cancelled meeting, a caregiver who left) uses this rule, and re-checks it in the UPDATE
itself, so a row claimed since it was read stays as it is.
"""

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, CursorResult, or_, select, update

from service.models import OutboxMessage, db, utcnow
from service.states import MessageStatus


def unsent(now: datetime | None = None) -> tuple[ColumnElement[bool], ...]:
    """Pending, held by no sender at `now`, and not possibly on a phone already."""
    now = now or utcnow()
    unreported = now - timedelta(seconds=current_app.config["SEND_REPORT_WAIT_SECONDS"])
    return (
        OutboxMessage.status == MessageStatus.PENDING,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        or_(OutboxMessage.in_flight_since.is_(None), OutboxMessage.in_flight_since < unreported),
    )


def sendable(now: datetime, due_by: datetime | None = None) -> tuple[ColumnElement[bool], ...]:
    """Unsent and due (by `due_by` when a dispatch runs ahead of the clock): what a sender may
    claim now."""
    cutoff = max(now, due_by) if due_by is not None else now
    due = or_(OutboxMessage.send_after.is_(None), OutboxMessage.send_after <= cutoff)
    return (*unsent(now), due)


def unsent_to(phone: str, now: datetime | None = None):
    """The unsent rows to a number, oldest first: (id, idempotency_key, enrollment_id)."""
    query = select(OutboxMessage.id, OutboxMessage.idempotency_key, OutboxMessage.enrollment_id)
    query = query.where(OutboxMessage.to_phone == phone, *unsent(now))
    return db.session.execute(query.order_by(OutboxMessage.id)).all()


def change_unsent(conditions: tuple[Any, ...], now: datetime | None = None, **values: Any) -> int:
    """Change the unsent rows matching `conditions`; returns how many changed."""
    result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(OutboxMessage)
        .where(*conditions, *unsent(now))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def cancel_unsent(reason: str, *conditions: Any, now: datetime | None = None) -> int:
    """Cancel the unsent rows matching `conditions`; returns how many."""
    values = {"status": MessageStatus.CANCELLED, "failure_reason": reason, "claimed_until": None}
    return change_unsent(conditions, now, **values)


def cancel_to(numbers, reason: str, now: datetime | None = None) -> int:
    """Cancel every unsent row to these numbers (STOP, a household removed); returns how many."""
    numbers = list(numbers)
    if not numbers:
        return 0
    return cancel_unsent(reason, OutboxMessage.to_phone.in_(numbers), now=now)
