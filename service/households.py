"""Registering households and their members; shared by SMS, USSD, the CLI and the seed."""

from dataclasses import dataclass

from sqlalchemy import select

from service import audit, codes
from service.enrollments import enroll
from service.models import Caregiver, Child, Household, db, utcnow
from service.states import EnrollmentState, HouseholdStatus, Track

MAX_CHILDREN = 8  # per household, by SMS and USSD alike: more is a typo, not a family


@dataclass
class Registration:
    """The outcome: the household, and whether it is new or the phone was already known."""

    household: Household
    caregiver: Caregiver
    created: bool


def code_taken(code):
    """True when a household already uses this code."""
    return db.session.scalar(select(Household.id).where(Household.code == code)) is not None


def find_caregiver(phone):
    """The caregiver on this E.164 number, if any."""
    return db.session.scalar(select(Caregiver).where(Caregiver.phone == phone))


def register_household(
    *,
    village,
    name,
    phone,
    relationship,
    births,
    language=None,
    via="sms",
    status=HouseholdStatus.ACTIVE,
    actor="cli",
    facilitator_id=None,
    now=None,
):
    """Create household, caregiver, children and enrollment; a known phone returns its household.

    `births` is a list of (year, month-or-None). Nothing is committed here.
    """
    known = find_caregiver(phone)
    if known is not None:
        return Registration(known.household, known, created=False)
    now = now or utcnow()
    language = language or village.language
    household = Household(
        code=codes.generate(code_taken),
        village=village,
        status=str(status),
        registered_via=via,
        registered_by_id=facilitator_id,
        created_at=now,
    )
    caregiver = Caregiver(
        household=household,
        name=name,
        phone=phone,
        relationship=str(relationship),
        language=language,
        consent_at=now,
        consent_via=str(via),  # the channel the caregiver agreed on (a facilitator's DAFTAR: sms)
        created_at=now,
    )
    db.session.add_all([household, caregiver])
    for year, month in births:
        db.session.add(Child(household=household, birth_year=year, birth_month=month))
    db.session.flush()
    state = EnrollmentState.ACTIVE if status == HouseholdStatus.ACTIVE else EnrollmentState.PAUSED
    enroll(Track.CAREGIVER, caregiver.id, state=state, now=now)
    audit.record(
        actor,
        "household.register",
        "household",
        household.id,
        code=household.code,
        via=via,
        status=str(status),
    )
    return Registration(household, caregiver, created=True)


def add_child(household, year, month=None, *, actor):
    """Add one child to a household and audit it."""
    child = Child(household=household, birth_year=year, birth_month=month)
    db.session.add(child)
    db.session.flush()
    audit.record(actor, "child.add", "household", household.id, birth_year=year, birth_month=month)
    return child


def household_by_code(code):
    """The household with this code, or None."""
    return db.session.scalar(select(Household).where(Household.code == code))
