"""What a final delivery outcome means for the person: failure streaks, pauses, retries."""

from datetime import timedelta

from messages.replies import alert_text
from service import audit
from service.facilitators import alert_facilitator
from service.models import Enrollment, db
from service.states import EnrollmentState, MessageStatus

FAILURES_BEFORE_PAUSE = 5
ABSENT_RETRY_AFTER = timedelta(hours=6)


def message_delivered(row, now):
    """Mark delivered and end the recipient's failure streak."""
    row.status, row.delivered_at, row.failure_reason = MessageStatus.DELIVERED, now, None
    for enrollment in _enrollments_of(row):
        enrollment.consecutive_failures = 0


def message_failed(row, reason, now, *, phone_absent=False, phone_fault=True):
    """Mark failed and count the recipient's streak.

    `phone_absent` (the network found the phone off or out of reach): retry once, six hours
    later. `phone_fault=False` (the failure was ours, e.g. the gateway refused our login): the
    row fails but the person's streak does not grow, so a misconfiguration pauses nobody.
    """
    if phone_absent and row.absent_retries == 0:
        row.absent_retries += 1
        row.status, row.failure_reason = MessageStatus.PENDING, f"retrying: {reason}"[:120]
        row.send_after, row.claimed_until, row.provider_id = now + ABSENT_RETRY_AFTER, None, None
        return
    row.status, row.failure_reason, row.claimed_until = MessageStatus.FAILED, reason[:120], None
    if not phone_fault:
        return
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
