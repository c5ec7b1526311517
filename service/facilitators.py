"""Who looks after a village, and the alert SMS that tell them about its people."""

from collections.abc import Callable

from sqlalchemy import select

from service.models import Facilitator, OutboxMessage, db
from service.outbox import queue_sms
from service.states import MessageKind

# (language, **values) -> the alert's SMS body; the texts live in messages/replies/<lang>.po
AlertText = Callable[..., str]


def village_facilitator(village_id: int) -> Facilitator | None:
    """The village's first active facilitator, or None."""
    return db.session.scalar(
        select(Facilitator)
        .where(Facilitator.village_id == village_id, Facilitator.active.is_(True))
        .order_by(Facilitator.id)
        .limit(1)
    )


def alert_facilitator(
    village_id: int, key: str, text: AlertText, **values: object
) -> OutboxMessage | None:
    """Write an alert SMS to the village facilitator in their language (if there is one)."""
    facilitator = village_facilitator(village_id)
    if facilitator is None:
        return None
    return queue_sms(
        facilitator.phone,
        text(facilitator.language, **values),
        MessageKind.ALERT,
        key,
        language=facilitator.language,
        village_id=village_id,
    )
