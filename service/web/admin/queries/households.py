"""Finding households by code, caregiver name or phone."""

from sqlalchemy import func, or_, select, union
from sqlalchemy.orm import selectinload

from service.models import Caregiver, Household, MigrantParent, db
from service.phones import try_normalise


def looks_like_phone(text):
    """True when the search is a phone number (in any of the ways people write one)."""
    return any(ch.isdigit() for ch in text) and try_normalise(text) is not None


def _matching_ids(text, by_phone=True):
    """Household ids whose code starts with, caregiver name contains, or phone equals `text`.

    Matching by a whole number is for admins (`by_phone`): viewers see numbers masked, and a
    search must not tell them which household a number they typed belongs to.
    """
    text = " ".join(text.split())
    phone = try_normalise(text) if by_phone and any(ch.isdigit() for ch in text) else None
    by_carer = [func.lower(Caregiver.name).contains(text.lower(), autoescape=True)]
    if phone:
        by_carer.append(Caregiver.phone == phone)
    parts = [select(Caregiver.household_id).where(or_(*by_carer))]
    if phone:
        parts.append(select(MigrantParent.household_id).where(MigrantParent.phone == phone))
    if text.isascii() and text.isdigit():
        parts.append(select(Household.id).where(Household.code.startswith(text)))
    return union(*parts)


def household_query(text="", village_id=None, by_phone=True):
    """Households (newest first) matching a search, with their people loaded in a few queries."""
    query = (
        select(Household)
        .options(
            selectinload(Household.village),
            selectinload(Household.caregivers),
            selectinload(Household.children),
            selectinload(Household.migrant_parents),
        )
        .order_by(Household.id.desc())
    )
    if text and text.strip():
        query = query.where(Household.id.in_(_matching_ids(text.strip(), by_phone)))
    if village_id is not None:
        query = query.where(Household.village_id == village_id)
    return query


def search(text="", page=1, per_page=50, village_id=None, by_phone=True):
    """One page of matching households (Flask-SQLAlchemy pagination, with a total)."""
    return db.paginate(
        household_query(text, village_id, by_phone), page=page, per_page=per_page, error_out=False
    )


def household(household_id):
    """One household with its people, or None."""
    return db.session.scalar(household_query().where(Household.id == household_id))
