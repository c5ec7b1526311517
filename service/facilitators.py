"""Who looks after a village: the facilitator alerts about its people go to."""

from sqlalchemy import select

from service.models import Facilitator, db


def village_facilitator(village_id):
    """The village's first active facilitator, or None."""
    return db.session.scalar(
        select(Facilitator)
        .where(Facilitator.village_id == village_id, Facilitator.active.is_(True))
        .order_by(Facilitator.id)
        .limit(1)
    )
