"""What the registration screens read and write: the village list and the new household."""

from sqlalchemy import select

from messages.replies import alert_text
from service.facilitators import alert_facilitator
from service.households import register_household
from service.models import Village, db
from service.states import HouseholdStatus


def villages():
    """(name, id) of every village, by name, for the registration list."""
    return db.session.execute(select(Village.name, Village.id).order_by(Village.name)).all()


def register(phone, form, lang, actor, now):
    """Create the pending household from the registration answers; returns its code."""
    village = db.session.get(Village, form["village"])
    outcome = register_household(
        village=village,
        name=form["name"],
        phone=phone,
        relationship=form["relationship"],
        births=[(year, None) for year in form["births"]],
        language=lang,
        via="ussd",
        status=HouseholdStatus.PENDING,
        actor=actor,
        now=now,
    )
    if outcome.created:
        alert_facilitator(
            village.id,
            f"ussd:register:{outcome.household.id}",
            alert_text("alert.registered"),
            code=outcome.household.code,
            name=form["name"],
            phone=phone,
        )
    db.session.commit()
    return outcome.household.code
