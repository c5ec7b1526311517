"""A possible child-protection report, a child about to be married off, or thoughts of
suicide: a reply that fits what was said to the sender, the facilitator alerted.

Runs on every message before its keyword is looked at, so a report inside an unknown or
malformed message is never dropped; when no facilitator can be told, the audit log (read on
the dashboard) and the log carry it to an officer.
"""

import logging

from flask import current_app
from sqlalchemy import select

from messages.gsm import to_gsm
from messages.lessons import load_catalog, own_services
from messages.safeguarding import assess
from service import audit
from service.models import Facilitator, db
from service.states import Concern, MessageKind

log = logging.getLogger("asuh.safeguarding")
EXCERPT = 100
# The reply to the sender and the alert to the facilitator, by the most urgent concern.
REPLIES = {
    Concern.SUICIDE: "safeguarding.suicide",
    Concern.MARRIAGE: "safeguarding.marriage",
    Concern.HARM: "safeguarding.hotline",
}
ALERTS = {
    Concern.SUICIDE: "alert.safeguarding.suicide",
    Concern.MARRIAGE: "alert.safeguarding.marriage",
    Concern.HARM: "alert.safeguarding",
}


def screen(ctx, text):
    """The reply text when the message raises a concern, else None."""
    findings = assess(text, current_app.config)
    if not findings:
        return None
    concern, village = findings[0].concern, ctx.village
    found = list(dict.fromkeys(word for finding in findings for word in finding.words))
    hotline = village_hotline(village)
    alerted = _alert_facilitators(ctx, village, ALERTS[concern], found, text, hotline)
    audit.record(
        ctx.actor,
        "safeguarding.alert",
        "inbound",
        ctx.inbound_id,
        words=found,
        concerns=[str(finding.concern) for finding in findings],
        phone=ctx.sender.phone or ctx.sender.raw[:40],
        village_id=village.id if village is not None else None,
        facilitators_alerted=alerted,
        excerpt=text[:300],
    )
    log.warning("safeguarding %s: words %s in inbound %s", concern, found, ctx.inbound_id)
    key = REPLIES[concern] if alerted else REPLIES[concern] + ".officer"
    return ctx.text(key, hotline=hotline)


def village_hotline(village):
    """The child-protection line the sender's village names (its own, its pack's, the default)."""
    default = current_app.config["CHILD_HOTLINE"]
    if village is None:
        return default
    services = load_catalog().local_services(
        village.name, village.province, own_services(village), {"hotline": default}
    )
    return services["hotline"]


def _alert_facilitators(ctx, village, key, found, text, hotline):
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
            _alert_body(ctx, key, facilitator.language, found, text, hotline),
            MessageKind.ALERT,
            f"alert:safeguarding:{ctx.inbound_id}:{facilitator.id}",
            language=facilitator.language,
            village_id=village.id,
        )
        alerted.append(facilitator.id)
    return alerted


def _alert_body(ctx, key, language, found, text, hotline):
    return ctx.text(
        key,
        language,
        who=_who(ctx, language),
        phone=ctx.sender.phone,
        words=", ".join(found),
        excerpt=_excerpt(text),
        hotline=hotline,
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
