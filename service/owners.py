"""Who owns a phone number: every role it has in the programme, found in one query.

A number may be a facilitator's and a caregiver's at once (a facilitator who looks after a
grandchild); the SMS keywords, the USSD menu, the "is this number taken?" check and the
simulator each pick what they need from the same answer.
"""

from dataclasses import dataclass

from sqlalchemy import Select, bindparam, literal, null, select, union_all

from service.models import Caregiver, Child, Facilitator, Household, MigrantParent, Village, db

ROLES = ("facilitator", "caregiver", "migrant", "teen")  # the order owners are listed in


@dataclass(frozen=True)
class Owner:
    """One role a number has; `active` is False only for a facilitator taken off duty."""

    role: str
    id: int
    name: str | None
    language: str | None
    village_id: int
    village: str
    household_id: int | None
    household_code: str | None
    active: bool


def owners_of(phone: str) -> list[Owner]:
    """Every role of this E.164 number, facilitator first, then caregiver, migrant, teen."""
    rows = db.session.connection().execute(_statement(), {"phone": phone}).all()
    return [Owner(ROLES[rank], *values) for rank, *values in sorted(rows, key=_by_rank)]


def owner(phone: str, *roles: str, active_only: bool = False) -> Owner | None:
    """The first of `roles` (in the order given) this number has, or None."""
    found = {o.role: o for o in owners_of(phone) if o.active or not active_only}
    return next((found[role] for role in roles if role in found), None)


def _by_rank(row):
    return row[0], row[1]


_STATEMENT = None


def _statement():
    """Built once per process: this runs at the start of every USSD session and inbound SMS."""
    global _STATEMENT
    if _STATEMENT is None:
        _STATEMENT = union_all(_facilitators(), *(_household_members(m) for m in _MEMBERS))
    return _STATEMENT


def _facilitators() -> Select:
    return (
        select(
            literal(0).label("rank"),
            Facilitator.id,
            Facilitator.name,
            Facilitator.language,
            Facilitator.village_id,
            Village.name.label("village"),
            null().label("household_id"),
            null().label("household_code"),
            Facilitator.active,
        )
        .join(Village, Village.id == Facilitator.village_id)
        .where(Facilitator.phone == bindparam("phone"))
    )


_MEMBERS = ((1, Caregiver), (2, MigrantParent), (3, Child))


def _household_members(member) -> Select:
    rank, model = member
    language = model.language if hasattr(model, "language") else null()
    return (
        select(
            literal(rank),
            model.id,
            model.name,
            language,
            Household.village_id,
            Village.name,
            model.household_id,
            Household.code,
            literal(True),
        )
        .join(Household, Household.id == model.household_id)
        .join(Village, Village.id == Household.village_id)
        .where(model.phone == bindparam("phone"))
    )
