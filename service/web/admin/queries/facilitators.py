"""Facilitators as the dashboard lists them."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.models import Facilitator, Village, db


def facilitator_query():
    """Every facilitator with their village, by village then name."""
    return (
        select(Facilitator)
        .join(Village, Village.id == Facilitator.village_id)
        .options(selectinload(Facilitator.village))
        .order_by(Village.name, Facilitator.name)
    )


def all_facilitators():
    return db.session.scalars(facilitator_query()).all()


def village_choices():
    """(id, name) of every village, for select menus."""
    return db.session.execute(select(Village.id, Village.name).order_by(Village.name)).all()
