"""The audit trail, newest first, optionally narrowed by actor or action."""

from sqlalchemy import select

from service.models import AuditLog, db


def audit_query(actor="", action=""):
    """Audit rows matching the given actor and action prefixes."""
    query = select(AuditLog).order_by(AuditLog.id.desc())
    if actor:
        query = query.where(AuditLog.actor.startswith(actor, autoescape=True))
    if action:
        query = query.where(AuditLog.action.startswith(action, autoescape=True))
    return query


def audit_page(actor="", action="", page=1, per_page=50):
    """One page of the trail."""
    return db.paginate(audit_query(actor, action), page=page, per_page=per_page, error_out=False)
