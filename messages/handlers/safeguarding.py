"""A possible child-protection report: the hotline to the sender, the facilitator alerted.

Runs on every message before its keyword is looked at, so a report inside an unknown or
malformed message is never dropped; when no facilitator can be told, the audit log (read on
the dashboard) and the log carry it to an officer.
"""

import logging

from flask import current_app
from sqlalchemy import select

from messages.gsm import to_gsm
from messages.safeguarding import find_words, word_list
from service import audit
from service.models import Facilitator, db
from service.states import MessageKind

log = logging.getLogger("asuh.safeguarding")
EXCERPT = 100


def screen(ctx, text):
    """The hotline text for the reply when the message names harm, else None."""
    found = find_words(text, word_list(current_app.config["SAFEGUARDING_WORDS"]))
    if not found:
        return None
    village = ctx.village
    alerted = _alert_facilitators(ctx, village, found, text)
    audit.record(
        ctx.actor,
        "safeguarding.alert",
        "inbound",
        ctx.inbound_id,
        words=found,
        phone=ctx.sender.phone or ctx.sender.raw[:40],
        village_id=village.id if village is not None else None,
        facilitators_alerted=alerted,
        excerpt=text[:300],
    )
    log.warning("safeguarding words %s in inbound %s", found, ctx.inbound_id)
    hotline = current_app.config["CHILD_HOTLINE"]
    key = "safeguarding.hotline" if alerted else "safeguarding.hotline.officer"
    return ctx.text(key, hotline=hotline)


def _alert_facilitators(ctx, village, found, text):
    """SMS every active facilitator of the sender's village (but not the sender); their ids."""
    if village is None:
        return []
    facilitators = db.session.scalars(
        select(Facilitator)
        .where(Facilitator.village_id == village.id, Facilitator.active.is_(True))
        .order_by(Facilitator.id)
    ).all()
    alerted = []
    for facilitator in facilitators:
        if facilitator.phone == ctx.sender.phone:
            continue
        ctx.send(
            facilitator.phone,
            _alert_body(ctx, facilitator.language, found, text),
            MessageKind.ALERT,
            f"alert:safeguarding:{ctx.inbound_id}:{facilitator.id}",
            language=facilitator.language,
            village_id=village.id,
        )
        alerted.append(facilitator.id)
    return alerted


def _alert_body(ctx, language, found, text):
    return ctx.text(
        "alert.safeguarding",
        language,
        who=_who(ctx, language),
        phone=ctx.sender.phone,
        words=", ".join(found),
        excerpt=_excerpt(text),
        hotline=current_app.config["CHILD_HOTLINE"],
    )


def _excerpt(text):
    return to_gsm(" ".join(text.split()))[:EXCERPT]


def _who(ctx, language):
    """The sender as the facilitator knows them: a name and household code when known."""
    sender = ctx.sender
    for person in (sender.caregiver, sender.migrant):
        if person is not None:
            return f"{person.name or ''} ({person.household.code})".strip()
    if sender.teen is not None:
        return ctx.text("role.teen", language) + f" ({sender.teen.household.code})"
    if sender.facilitator is not None:
        return sender.facilitator.name
    return ctx.text("alert.unknown_sender", language)
