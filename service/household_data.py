"""Everything held about one household, as plain data: the right of access (Law 27/2022).

`asuh household export CODE` prints it as JSON; nothing is left out that the database keeps
about the household's people: who they are, their consents (when and by which channel),
their enrollments, every SMS sent to them and received from them, meetings they answered or
attended, call-backs asked, lesson feedback, and the audit entries about them.
"""

from sqlalchemy import or_, select

from service.enrollments import lessons_received
from service.models import (
    Attendance,
    AuditLog,
    CallbackRequest,
    Enrollment,
    InboundMessage,
    LessonFeedback,
    MeetingRsvp,
    OutboxMessage,
    db,
)


def household_data(household):
    """A JSON-ready dict of everything held about the household."""
    numbers = sorted(
        {p.phone for p in (*household.caregivers, *household.migrant_parents) if p.phone}
        | {c.phone for c in household.children if c.phone}
    )
    caregiver_ids = [c.id for c in household.caregivers]
    return {
        "code": household.code,
        "village": household.village.name,
        "status": household.status,
        "registered_via": household.registered_via,
        "created_at": _when(household.created_at),
        "deactivated_at": _when(household.deactivated_at),
        "erased_at": _when(household.erased_at),
        "caregivers": [_caregiver(c) for c in household.caregivers],
        "children": [_child(c) for c in household.children],
        "migrant_parents": [_migrant(p) for p in household.migrant_parents],
        "enrollments": [_enrollment(e) for e in _enrollments(household)],
        "messages_sent": [_sent(row) for row in _outbox(numbers)],
        "messages_received": [_received(row) for row in _inbound(numbers)],
        "meeting_answers": _answers(caregiver_ids),
        "attendance": _attendance(household.id),
        "callbacks": _callbacks(caregiver_ids),
        "lesson_feedback": _feedback(caregiver_ids),
        "audit": _audit(household),
    }


def _when(moment):
    return moment.isoformat() if moment is not None else None


def _caregiver(person):
    return {
        "name": person.name,
        "phone": person.phone,
        "relationship": person.relationship,
        "language": person.language,
        "status": person.status,
        "preferred_time": person.preferred_time,
        "consent": {"at": _when(person.consent_at), "via": person.consent_via},
        "created_at": _when(person.created_at),
    }


def _child(child):
    return {
        "name": child.name,
        "birth_year": child.birth_year,
        "birth_month": child.birth_month,
        "phone": child.phone,
        "consent": {"at": _when(child.consent_at), "via": child.consent_via},
        "created_at": _when(child.created_at),
    }


def _migrant(parent):
    return {
        "name": parent.name,
        "phone": parent.phone,
        "country": parent.country,
        "language": parent.language,
        "status": parent.status,
        "created_at": _when(parent.created_at),
    }


def _enrollments(household):
    people = (
        (Enrollment.caregiver_id, [c.id for c in household.caregivers]),
        (Enrollment.migrant_parent_id, [p.id for p in household.migrant_parents]),
        (Enrollment.child_id, [c.id for c in household.children]),
    )
    conditions = [column.in_(ids) for column, ids in people if ids]
    if not conditions:
        return []
    return db.session.scalars(select(Enrollment).where(or_(*conditions)).order_by(Enrollment.id))


def _enrollment(enrollment):
    return {
        "track": enrollment.track,
        "state": enrollment.state,
        "lessons_sent": lessons_received(enrollment.id),
        "last_lesson": enrollment.last_lesson_id,
        "next_due_at": _when(enrollment.next_due_at),
        "created_at": _when(enrollment.created_at),
    }


def _outbox(numbers):
    if not numbers:
        return []
    query = select(OutboxMessage).where(OutboxMessage.to_phone.in_(numbers))
    return db.session.scalars(query.order_by(OutboxMessage.id))


def _sent(row):
    return {
        "to": row.to_phone,
        "body": row.body,
        "kind": row.kind,
        "status": row.status,
        "created_at": _when(row.created_at),
        "sent_at": _when(row.sent_at),
        "delivered_at": _when(row.delivered_at),
    }


def _inbound(numbers):
    forms = {n for number in numbers for n in (number, number.lstrip("+"), "0" + number[3:])}
    if not forms:
        return []
    query = select(InboundMessage).where(InboundMessage.from_phone.in_(sorted(forms)))
    return db.session.scalars(query.order_by(InboundMessage.id))


def _received(row):
    return {"from": row.from_phone, "text": row.text, "received_at": _when(row.created_at)}


def _answers(caregiver_ids):
    query = select(MeetingRsvp).where(MeetingRsvp.caregiver_id.in_(caregiver_ids))
    return [
        {"meeting": r.meeting_id, "answer": r.answer, "at": _when(r.created_at)}
        for r in db.session.scalars(query.order_by(MeetingRsvp.id))
    ]


def _attendance(household_id):
    query = select(Attendance).where(Attendance.household_id == household_id)
    return [
        {"meeting": a.meeting_id, "at": _when(a.created_at)}
        for a in db.session.scalars(query.order_by(Attendance.id))
    ]


def _callbacks(caregiver_ids):
    query = select(CallbackRequest).where(CallbackRequest.caregiver_id.in_(caregiver_ids))
    return [
        {"status": c.status, "at": _when(c.created_at), "resolved_at": _when(c.resolved_at)}
        for c in db.session.scalars(query.order_by(CallbackRequest.id))
    ]


def _feedback(caregiver_ids):
    query = select(LessonFeedback).where(LessonFeedback.caregiver_id.in_(caregiver_ids))
    return [
        {"lesson": f.lesson_id, "answer": f.answer, "at": _when(f.created_at)}
        for f in db.session.scalars(query.order_by(LessonFeedback.id))
    ]


def _audit(household):
    query = select(AuditLog).where(
        AuditLog.entity == "household", AuditLog.entity_id == household.id
    )
    return [
        {"at": _when(a.at), "actor": a.actor, "action": a.action, "detail": a.detail}
        for a in db.session.scalars(query.order_by(AuditLog.id))
    ]
