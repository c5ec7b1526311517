"""A caregiver's unsent SMS follow them to a new number (GANTI)."""

from datetime import datetime

from sqlalchemy import select

from service import audit
from service.models import Caregiver, Enrollment, OutboxMessage, db
from service.outbox.unsent import change_unsent, unsent_to
from service.owners import owners_of
from service.states import MessageStatus, Track

# Keys of the rows the scheduler writes for one caregiver: kind:meeting:caregiver[:moment]
CAREGIVER_KEYS = frozenset({"reminder", "cancel", "summary"})


def follow_caregiver(caregiver: Caregiver, old: str, new: str, *, actor: str, now: datetime):
    """Move the caregiver's unsent SMS from `old` to `new`; returns (moved ids, cancelled ids).

    Rows that are the caregiver's move (their lessons, reminders, notices, summaries; every row
    when the old number was theirs alone). Their welcome to the old number is cancelled: the
    new number gets its own. Rows for whoever still holds the old number (a facilitator who
    registered themselves as a caregiver) stay, and so do rows a sender is sending right now.
    """
    db.session.flush()  # the caregiver is off the old number before we ask who still holds it
    shared = bool(owners_of(old))
    enrollments = _enrollment_ids(caregiver)
    moved, cancelled = [], []
    for row in unsent_to(old, now):
        if row.idempotency_key.startswith(f"welcome:caregiver:{caregiver.id}:"):
            cancelled.append(row.id)
        elif not shared or _is_for(row, caregiver, enrollments):
            moved.append(row.id)
    if moved:
        change_unsent((OutboxMessage.id.in_(moved),), now, to_phone=new)
    if cancelled:
        change_unsent(
            (OutboxMessage.id.in_(cancelled),),
            now,
            status=MessageStatus.CANCELLED,
            failure_reason="number changed",
            claimed_until=None,
        )
    if moved or cancelled:
        audit.record(
            actor,
            "caregiver.readdress_outbox",
            "caregiver",
            caregiver.id,
            old=old,
            new=new,
            moved=moved,
            cancelled=cancelled,
        )
    return moved, cancelled


def _is_for(row, caregiver, enrollments):
    """True for a row written for this caregiver: on their enrollment or keyed by their id."""
    if row.enrollment_id is not None:
        return row.enrollment_id in enrollments
    parts = row.idempotency_key.split(":")
    return len(parts) >= 3 and parts[0] in CAREGIVER_KEYS and parts[2] == str(caregiver.id)


def _enrollment_ids(caregiver):
    query = select(Enrollment.id).where(
        Enrollment.track == str(Track.CAREGIVER), Enrollment.caregiver_id == caregiver.id
    )
    return set(db.session.scalars(query))
