"""A caregiver's words that happen to start with a facilitator's keyword ("anak saya sakit
demam") are a message to the village facilitator, not a command to refuse.

From a number that is a caregiver, a parent abroad or a teen (never a facilitator), such a
message is forwarded to the village's active facilitators, and the sender is answered once.
When it names harm, the safeguarding alert already carries it to them with the hotline reply,
so it is not forwarded a second time.
"""

from sqlalchemy import select

from messages.gsm import to_gsm
from messages.keywords import Audience
from service import audit
from service.models import Facilitator, db
from service.states import MessageKind

EXCERPT = 200  # the forward stays within two SMS with the longest name and number


def applies(ctx):
    """True for a facilitator-only keyword typed by a known non-facilitator of a village."""
    sender = ctx.sender
    known = sender.caregiver or sender.migrant or sender.teen
    return (
        ctx.keyword is not None
        and ctx.keyword.audience == Audience.FACILITATOR
        and sender.facilitator is None
        and known is not None
        and ctx.village is not None
    )


def forward(ctx, text):
    """Send the words to the village's facilitators; the reply to the sender."""
    facilitators = db.session.scalars(
        select(Facilitator)
        .where(Facilitator.village_id == ctx.village.id, Facilitator.active.is_(True))
        .order_by(Facilitator.id)
    ).all()
    excerpt = to_gsm(" ".join(text.split()))[:EXCERPT]
    for facilitator in facilitators:
        ctx.send(
            facilitator.phone,
            ctx.text(
                "alert.forwarded",
                facilitator.language,
                who=_who(ctx, facilitator.language),
                phone=ctx.sender.phone,
                excerpt=excerpt,
            ),
            MessageKind.ALERT,
            f"forward:{ctx.inbound_id}:{facilitator.id}",
            language=facilitator.language,
            village_id=ctx.village.id,
        )
    audit.record(
        ctx.actor,
        "message.forward",
        "inbound",
        ctx.inbound_id,
        village_id=ctx.village.id,
        facilitators=[f.id for f in facilitators],
    )
    return ctx.text("reply.forwarded" if facilitators else "reply.forwarded.officer")


def _who(ctx, language):
    """The sender as the facilitator knows them: a name and household code."""
    sender = ctx.sender
    person = sender.caregiver or sender.migrant
    if person is not None:
        return f"{person.name or ''} ({person.household.code})".strip()
    return ctx.text("role.teen", language) + f" ({sender.teen.household.code})"
