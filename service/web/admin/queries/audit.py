"""The audit trail, newest first, optionally narrowed by actor or action."""

import re

from sqlalchemy import false, select

from service.models import AuditLog, db

# A number as viewers see it (+62812****7890); the digits around the stars are all they know.
MASKED_NUMBER = re.compile(r"\+\d{5}\*{4}\d{4}")
# Beyond a mask, a viewer's filter may hold short digit runs (a username's "2") but nothing that
# could extend a visible prefix of a number digit by digit.
PROBING = re.compile(r"\d{3}|\+\d|\*")


def _like_escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def viewer_actor_pattern(text):
    """A LIKE pattern matching actors as viewers see them, or None when the text probes digits."""
    if PROBING.search(MASKED_NUMBER.sub("", text)):
        return None
    parts = MASKED_NUMBER.split(text)
    masks = MASKED_NUMBER.findall(text)
    pattern = _like_escape(parts[0])
    for masked, after in zip(masks, parts[1:], strict=True):
        pattern += f"{masked[:6]}%{masked[-4:]}{_like_escape(after)}"
    return pattern + "%"


def audit_query(actor="", action="", masked=False):
    """Audit rows matching the given actor and action prefixes.

    With `masked` (viewers) the actor is matched as shown masked; a filter that could reveal
    hidden digits matches nothing (the view explains why).
    """
    query = select(AuditLog).order_by(AuditLog.id.desc())
    if actor and masked:
        pattern = viewer_actor_pattern(actor)
        query = query.where(AuditLog.actor.like(pattern, escape="\\") if pattern else false())
    elif actor:
        query = query.where(AuditLog.actor.startswith(actor, autoescape=True))
    if action:
        query = query.where(AuditLog.action.startswith(action, autoescape=True))
    return query


def audit_page(actor="", action="", page=1, per_page=50, masked=False):
    """One page of the trail."""
    query = audit_query(actor, action, masked)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
