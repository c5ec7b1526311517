"""Whose number is this: a household member's, checked before it becomes a facilitator's."""

from sqlalchemy import select

from service.models import Caregiver, Child, MigrantParent, db

MEMBERS = (("caregiver", Caregiver), ("parent abroad", MigrantParent), ("teen", Child))


def household_member(e164):
    """'caregiver Mbah Sumini of household 1234567 (Kanigoro)' when a household uses it, or None."""
    for role, model in MEMBERS:
        person = db.session.scalar(select(model).where(model.phone == e164).limit(1))
        if person is not None:
            label = f"{role} {person.name}" if person.name else role
            home = person.household
            return f"{label} of household {home.code} ({home.village.name})"
    return None
