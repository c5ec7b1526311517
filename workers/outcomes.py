"""What a final delivery outcome means for the person: failure streaks, pauses, retries."""

from datetime import timedelta

from messages.replies import alert_text
from service import audit
from service.facilitators import alert_facilitator
from service.models import Enrollment, db
from service.states import EnrollmentState, MessageStatus

FAILURES_BEFORE_PAUSE = 5
ABSENT_RETRY_AFTER = timedelta(hours=6)
ABSENT_REASONS = {"AbsentSubscriber"}


def message_delivered(row, now):
    """Mark delivered and end the recipient's failure streak."""
    row.status, row.delivered_at, row.failure_reason = MessageStatus.DELIVERED, now, None
    for enrollment in _enrollments_of(row):
        enrollment.consecutive_failures = 0


def message_failed(row, reason, now):
    """Mark failed (or retry an absent phone once, six hours later) and count the streak."""
    if reason in ABSENT_REASONS and row.absent_retries == 0:
        row.absent_retries += 1
        row.status, row.failure_reason = MessageStatus.PENDING, f"retrying: {reason}"
        row.send_after, row.claimed_until, row.provider_id = now + ABSENT_RETRY_AFTER, None, None
        return
    row.status, row.failure_reason, row.claimed_until = MessageStatus.FAILED, reason[:120], None
    for enrollment in _enrollments_of(row):
        _count_failure(enrollment, row, now)


def _enrollments_of(row):
    """Enrollments that send to this row's phone: the lesson's own, or none for other kinds."""
    if row.enrollment_id is None:
        return []
    enrollment = db.session.get(Enrollment, row.enrollment_id)
    return [enrollment] if enrollment else []


def _count_failure(enrollment, row, now):
    enrollment.consecutive_failures += 1
    if enrollment.consecutive_failures < FAILURES_BEFORE_PAUSE:
        return
    if enrollment.state != EnrollmentState.ACTIVE:
        return
    enrollment.state = EnrollmentState.PAUSED
    audit.record(
        "system",
        "enrollment.pause",
        "enrollment",
        enrollment.id,
        reason=f"{FAILURES_BEFORE_PAUSE} failed deliveries in a row",
        phone=row.to_phone,
    )
    _tell_facilitator(row, enrollment)


def _tell_facilitator(row, enrollment):
    """The village facilitator learns the number stopped working, so they can visit."""
    if row.village_id is None:
        return
    alert_facilitator(
        row.village_id,
        f"alert:paused:{enrollment.id}:{enrollment.consecutive_failures}:{row.id}",
        alert_text("alert.delivery_paused"),
        phone=row.to_phone,
        count=FAILURES_BEFORE_PAUSE,
    )
