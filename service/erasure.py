"""Erasing a household's personal data (Indonesia's Law 27/2022): the right to be forgotten.

Names, phone numbers, children's birth dates, the bodies of SMS sent to the household's
numbers and the texts they sent are erased, and so are other SMS (a facilitator's DAFTAR,
the replies and alerts about the household) whose text names one of its numbers or its
code; the rows stay, anonymous, so the programme's
counts (households, children, SMS, costs, attendance) still add up. The household stops
receiving anything, its numbers are free to be registered again, and audit entries that name
the numbers lose their details. Opt-outs stay: a number that said STOP is not written to.
"""

from dataclasses import dataclass

from sqlalchemy import String, cast, or_, select, update

from service import audit
from service.models import AuditLog, Enrollment, InboundMessage, OutboxMessage, db, utcnow
from service.states import EnrollmentState, HouseholdStatus, PersonStatus

ERASED = "erased"


@dataclass(frozen=True)
class Erased:
    """What was erased, as counts for the audit log and the person asking."""

    people: int
    children: int
    messages_out: int
    messages_in: int
    audit_entries: int


def erase_household(household, *, actor, now=None):
    """Erase the household's personal data in the caller's transaction; returns the counts."""
    now = now or utcnow()
    numbers = _numbers(household)
    enrollments = _stop_enrollments(household)
    people = _erase_people(household)
    children = _erase_children(household)
    needles = [_digits(number) for number in numbers] + [household.code]
    messages_out = _erase_outbox(numbers, enrollments) + _erase_mentions(OutboxMessage, needles)
    messages_in = _erase_inbound(numbers) + _erase_mentions(InboundMessage, needles)
    entries = _erase_audit(numbers)
    household.status, household.erased_at = HouseholdStatus.INACTIVE, now
    household.deactivated_at = household.deactivated_at or now
    counts = Erased(people, children, messages_out, messages_in, entries)
    audit.record(actor, "household.erase", "household", household.id, **vars(counts))
    return counts


def _numbers(household):
    members = [*household.caregivers, *household.migrant_parents, *household.children]
    return sorted({person.phone for person in members if person.phone})


def _stop_enrollments(household):
    """Every enrollment of the household stops; returns their ids."""
    people = {
        Enrollment.caregiver_id: [c.id for c in household.caregivers],
        Enrollment.migrant_parent_id: [p.id for p in household.migrant_parents],
        Enrollment.child_id: [c.id for c in household.children],
    }
    conditions = [column.in_(ids) for column, ids in people.items() if ids]
    if not conditions:
        return []
    enrollments = db.session.scalars(select(Enrollment).where(or_(*conditions))).all()
    for enrollment in enrollments:
        enrollment.state, enrollment.next_due_at = EnrollmentState.STOPPED, None
    return [enrollment.id for enrollment in enrollments]


def _erase_people(household):
    """Caregivers and parents abroad keep only their role; numbers become free placeholders."""
    for caregiver in household.caregivers:
        caregiver.name, caregiver.phone = "", f"{ERASED}-c{caregiver.id}"
        caregiver.status = PersonStatus.INACTIVE
    for parent in household.migrant_parents:
        parent.name, parent.phone = None, f"{ERASED}-m{parent.id}"
        parent.status = PersonStatus.INACTIVE
    return len(household.caregivers) + len(household.migrant_parents)


def _erase_children(household):
    for child in household.children:
        child.name, child.phone, child.birth_year, child.birth_month = None, None, None, None
    return len(household.children)


def _erase_outbox(numbers, enrollments):
    """SMS to the household: bodies and numbers blanked, pending ones cancelled."""
    conditions = [OutboxMessage.to_phone.in_(numbers)] if numbers else []
    if enrollments:
        conditions.append(OutboxMessage.enrollment_id.in_(enrollments))
    if not conditions:
        return 0
    where = or_(*conditions)
    db.session.execute(
        update(OutboxMessage)
        .where(where, OutboxMessage.status == "pending")
        .values(status="cancelled", failure_reason="household erased", claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(
        update(OutboxMessage)
        .where(where)
        .values(to_phone="", body="")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _erase_inbound(numbers):
    """SMS from the household's numbers, however the gateway wrote the number."""
    forms = {form for number in numbers for form in _written_forms(number)}
    if not forms:
        return 0
    result = db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.from_phone.in_(sorted(forms)))
        .values(from_phone="", text="", raw={}, error=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _digits(number):
    """The last nine digits: the part every way of writing the number shares."""
    return number.lstrip("+")[-9:]


def _erase_mentions(model, needles):
    """Other SMS whose text names the household (its numbers, its code): text blanked."""
    text = OutboxMessage.body if model is OutboxMessage else InboundMessage.text
    values = {"body": ""} if model is OutboxMessage else {"text": "", "raw": {}}
    result = db.session.execute(
        update(model)
        .where(or_(*(text.like(f"%{needle}%") for needle in needles)), text != "")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _written_forms(number):
    """+6281234..., 6281234..., 081234... (Indonesian numbers as phones send them)."""
    forms = {number, number.lstrip("+")}
    if number.startswith("+62"):
        forms.add("0" + number[3:])
    return forms


def _erase_audit(numbers):
    """Audit entries that name a number keep their action and time, not their details."""
    if not numbers:
        return 0
    digits = [_digits(number) for number in numbers]
    mentions = [cast(AuditLog.detail, String).like(f"%{d}%") for d in digits]
    mentions += [AuditLog.actor.like(f"%{d}%") for d in digits]
    rows = db.session.scalars(select(AuditLog).where(or_(*mentions))).all()
    for row in rows:
        row.detail = {ERASED: True}
        if any(d in row.actor for d in digits):
            row.actor = f"{row.actor.split(':', 1)[0]}:{ERASED}"
    return len(rows)
