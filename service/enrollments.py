"""Putting people on lesson tracks; the scheduler decides exactly when each lesson goes."""

from sqlalchemy import func, select

from service.models import Enrollment, OutboxMessage, db, utcnow
from service.states import LEFT_FOR_PHONE, EnrollmentState, MessageKind, Track

PERSON_COLUMN = {
    Track.CAREGIVER: "caregiver_id",
    Track.MIGRANT: "migrant_parent_id",
    Track.ADOLESCENT: "child_id",
    Track.FACILITATOR: "facilitator_id",
}


def enroll(track, person_id, *, state=EnrollmentState.ACTIVE, now=None):
    """Enrol a person once per track; an existing enrollment is returned, not duplicated."""
    column = getattr(Enrollment, PERSON_COLUMN[Track(track)])
    existing = db.session.scalar(
        select(Enrollment).where(Enrollment.track == str(track), column == person_id)
    )
    if existing is not None:
        return existing
    enrollment = Enrollment(
        track=str(track),
        state=str(state),
        position=0,
        next_due_at=now or utcnow(),  # due now; the scheduler moves it into a good hour
        **{PERSON_COLUMN[Track(track)]: person_id},
    )
    db.session.add(enrollment)
    return enrollment


def set_state_for(track, person_id, state):
    """Pause, resume or stop a person's enrollment on a track, if they have one."""
    column = getattr(Enrollment, PERSON_COLUMN[Track(track)])
    for enrollment in db.session.scalars(
        select(Enrollment).where(Enrollment.track == str(track), column == person_id)
    ):
        if enrollment.state != EnrollmentState.COMPLETED:
            enrollment.state = str(state)


def lessons_received(enrollment_id) -> int:
    """Lessons that left for the person's phone (sent or delivered) on one enrollment: what
    they got, which the position is not (it also counts lessons skipped for their children's
    ages, and a lesson written but not yet sent)."""
    if enrollment_id is None:
        return 0
    query = select(func.count(OutboxMessage.id)).where(
        OutboxMessage.enrollment_id == enrollment_id,
        OutboxMessage.kind == MessageKind.LESSON,
        OutboxMessage.status.in_(LEFT_FOR_PHONE),
    )
    return db.session.scalar(query) or 0
