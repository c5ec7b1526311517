"""How long an SMS stays worth sending, so a long gateway outage ends in `expired`, not spam.

A reply, welcome, alert or summary is useful for a day after it was written; a meeting
reminder (or cancellation notice) until the meeting starts; a lesson until the next lesson of
its track is due. A row that cannot be sent before then is marked expired: it was retried for
as long as it mattered and never sent.
"""

from datetime import timedelta

from sqlalchemy import func, select

from service.models import Enrollment, Meeting, OutboxMessage, db
from service.states import MessageKind, MessageStatus

USEFUL_FOR = timedelta(hours=24)  # replies, welcomes, alerts, summaries
LESSON_USEFUL_FOR = timedelta(days=7)  # a lesson whose track has no next slot


def useful_until(row):
    """The instant after which sending the row no longer helps anyone."""
    if row.kind == MessageKind.REMINDER and row.meeting_id is not None:
        meeting = db.session.get(Meeting, row.meeting_id)
        if meeting is not None:
            return meeting.starts_at
    if row.kind == MessageKind.LESSON:
        return _next_lesson_slot(row)
    return row.created_at + USEFUL_FOR


def _next_lesson_slot(row):
    """When the enrollment's following lesson was written, or is due; a week without one."""
    fallback = row.created_at + LESSON_USEFUL_FOR
    if row.enrollment_id is None:
        return fallback
    written = db.session.scalar(
        select(func.min(OutboxMessage.created_at)).where(
            OutboxMessage.enrollment_id == row.enrollment_id,
            OutboxMessage.kind == MessageKind.LESSON,
            OutboxMessage.id > row.id,
        )
    )
    if written is not None:
        return max(written, row.created_at)
    enrollment = db.session.get(Enrollment, row.enrollment_id)
    due = enrollment.next_due_at if enrollment is not None else None
    return due if due is not None and due > row.created_at else fallback


def expire(row, reason):
    """Give up on a row that could not be sent while it was useful."""
    row.status, row.claimed_until, row.in_flight_since = MessageStatus.EXPIRED, None, None
    row.failure_reason = f"expired: {reason}"[:120]
