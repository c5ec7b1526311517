"""One call to record who changed what, so every change can be traced.

An admin acting through the simulator borrows a phone: whatever that phone's USSD session or
SMS changes is recorded as the admin's doing ("admin:ana via simulator as +62812..."), not the
phone owner's, by running it inside `operated_by`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from sqlalchemy import select

from service.models import AuditLog, InboundMessage, db

SIMULATED_SMS = "simulator.sms"  # the action the simulator records for each SMS it sends
SIMULATED_ID_PREFIX = "sim-"  # provider ids the simulator gives its SMS
PHONE_ACTORS = ("sms:", "ussd:")  # actors that name the phone a change came from
ACTOR_LENGTH = 80  # the audit log's actor column

_operator: ContextVar[str | None] = ContextVar("asuh_audit_operator", default=None)


def record(actor, action, entity, entity_id=None, **detail):
    """Add an audit row to the current transaction (committed with the change itself)."""
    row = AuditLog(
        actor=named(actor), action=action, entity=entity, entity_id=entity_id, detail=detail
    )
    db.session.add(row)
    return row


@contextmanager
def operated_by(operator: str | None) -> Iterator[None]:
    """Changes made inside, in a phone's name, are recorded as `operator`'s, using that phone."""
    token = _operator.set(operator)
    try:
        yield
    finally:
        _operator.reset(token)


def named(actor: str) -> str:
    """The actor to record: a phone's own, or the operator's who borrowed that phone."""
    operator = _operator.get()
    if operator is None or not actor.startswith(PHONE_ACTORS):
        return actor
    return using_phone(operator, actor.split(":", 1)[1])


def using_phone(operator: str, phone: str) -> str:
    """How the audit log names an operator acting with someone's phone."""
    return f"{operator} as {phone}"[:ACTOR_LENGTH]


def simulator_operator(inbound: InboundMessage) -> str | None:
    """The admin who sent this SMS through the simulator ("admin:ana via simulator"), or None.

    Trusted only from the simulator's own audit row, written before the SMS was posted; a
    provider id that merely looks simulated names nobody.
    """
    provider_id = inbound.provider_id or ""
    if not provider_id.startswith(SIMULATED_ID_PREFIX) or inbound.created_at is None:
        return None
    since = inbound.created_at - timedelta(hours=1)
    rows = db.session.scalars(
        select(AuditLog).where(AuditLog.action == SIMULATED_SMS, AuditLog.at >= since)
    )
    for row in rows:
        if (row.detail or {}).get("provider_id") == provider_id:
            return row.actor.split(" as ", 1)[0]
    return None
