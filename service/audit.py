"""One call to record who changed what, so every change can be traced."""

from service.models import AuditLog, db


def record(actor, action, entity, entity_id=None, **detail):
    """Add an audit row to the current transaction (committed with the change itself)."""
    row = AuditLog(actor=actor, action=action, entity=entity, entity_id=entity_id, detail=detail)
    db.session.add(row)
    return row
