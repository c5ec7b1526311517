"""The one rule for rows a cancel or re-address may still change: pending, and unclaimed.

A sender claims rows (`claimed_until`) before its request goes out and commits the result
right after; a claimed row may be on its way, so nothing here touches it. Every cancel and
re-address (STOP, HAPUS, GANTI, a cancelled meeting, a caregiver who left) uses this rule,
and re-checks it in the UPDATE itself, so a row claimed since it was read stays as it is.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, or_, select, update

from service.models import OutboxMessage, db, utcnow
from service.states import MessageStatus


def unsent(now: datetime | None = None) -> tuple[ColumnElement[bool], ...]:
    """Pending and held by no sender at `now`."""
    now = now or utcnow()
    return (
        OutboxMessage.status == MessageStatus.PENDING,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


def sendable(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Unsent and due: what a sender may claim now."""
    due = or_(OutboxMessage.send_after.is_(None), OutboxMessage.send_after <= now)
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
