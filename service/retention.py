"""What is kept and for how long: SMS bodies and raw inbound texts are blanked RETENTION_DAYS
(default 365) after they were written; the rows, with their kind, status, dates, segments and
cost, stay for the programme's counts. The clock runs this (workers.cron)."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from service.models import InboundMessage, OutboxMessage, db, utcnow
from service.states import InboundState, MessageStatus

CHUNK = 5000  # rows per statement, so a first run over years of data never holds a long lock
OPEN = (MessageStatus.PENDING,)  # an SMS still to be sent keeps its text


def blank_old_texts(now=None):
    """Blank bodies and texts older than the retention period; returns (outbox, inbound)."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["RETENTION_DAYS"])
    return _blank_outbox(cutoff), _blank_inbound(cutoff)


def _blank_outbox(cutoff):
    old = (
        OutboxMessage.created_at < cutoff,
        OutboxMessage.body != "",
        OutboxMessage.status.not_in(OPEN),
    )
    return _in_chunks(OutboxMessage, old, body="")


def _blank_inbound(cutoff):
    old = (
        InboundMessage.created_at < cutoff,
        InboundMessage.text != "",
        InboundMessage.state != InboundState.RECEIVED,
    )
    return _in_chunks(InboundMessage, old, text="", raw={}, error=None)


def _in_chunks(model, conditions, **values):
    """UPDATE ... WHERE id IN (a chunk), committed chunk by chunk; returns the rows changed."""
    changed = 0
    while True:
        ids = db.session.scalars(select(model.id).where(*conditions).limit(CHUNK)).all()
        if not ids:
            return changed
        db.session.execute(
            update(model)
            .where(model.id.in_(ids))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        changed += len(ids)
