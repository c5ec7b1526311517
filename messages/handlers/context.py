"""What a handler is given: who sent the message, what they typed, and how to answer."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from messages.replies import reply_text
from service import phones
from service.models import Caregiver, Child, Facilitator, MigrantParent, Village, db
from service.outbox import queue_sms
from service.owners import owners_of


class CommandError(Exception):
    """A message that cannot be carried out; `key` names the problem in the reply catalogs."""

    def __init__(self, key, **values):
        super().__init__(key)
        self.key, self.values = key, values


@dataclass
class Reply:
    """The one answer to a message; STOP's confirmation must reach a number that opted out."""

    text: str
    respect_opt_out: bool = True


@dataclass
class Sender:
    """Everyone the `from` number is in the programme, and the language to answer in."""

    raw: str
    phone: str | None = None
    facilitator: Facilitator | None = None
    caregiver: Caregiver | None = None
    migrant: MigrantParent | None = None
    teen: Child | None = None
    language: str = "id"

    @property
    def actor(self):
        """How the audit log names this sender."""
        return f"sms:{self.phone or self.raw[:60]}"

    @property
    def village(self) -> Village | None:
        """The sender's village when any of their roles tells it."""
        if self.facilitator is not None:
            return self.facilitator.village
        for person in (self.caregiver, self.migrant, self.teen):
            if person is not None:
                return person.household.village
        return None

    def person_language(self):
        """The language stored for this person, or their village's, or None."""
        for person in (self.facilitator, self.caregiver, self.migrant):
            if person is not None and person.language:
                return person.language
        village = self.village
        return village.language if village is not None else None


ROLE_MODELS = {
    "facilitator": (Facilitator, "facilitator"),
    "caregiver": (Caregiver, "caregiver"),
    "migrant": (MigrantParent, "migrant"),
    "teen": (Child, "teen"),
}


def identify(raw_from):
    """Look the number up in every role; an invalid number is a sender we cannot answer."""
    sender = Sender(raw=raw_from or "", phone=phones.try_normalise(raw_from or ""))
    if sender.phone is None:
        return sender
    for owner in owners_of(sender.phone):
        if owner.active:
            model, attribute = ROLE_MODELS[owner.role]
            setattr(sender, attribute, db.session.get(model, owner.id))
    return sender


def choose_language(sender, keyword_language):
    """The person's own language; for strangers, the language of the keyword they typed."""
    return sender.person_language() or keyword_language or current_app.config["DEFAULT_LANGUAGE"]


@dataclass
class Command:
    """One inbound message being handled; every SMS it causes is keyed by the inbound id."""

    inbound_id: int
    sender: Sender
    parsed: object
    keyword: object
    now: datetime
    sent: list = field(default_factory=list)

    @property
    def language(self):
        return self.sender.language

    @property
    def facilitator(self):
        return self.sender.facilitator

    @property
    def village(self):
        return self.sender.village

    @property
    def actor(self):
        return self.sender.actor

    def text(self, key, language=None, **values):
        """A catalog text in the sender's language (or another's, for messages to others)."""
        return reply_text(key, language or self.language, **values)

    def local_now(self, village=None):
        """Now on the village's clock (dates typed by facilitators are local)."""
        village = village or self.village
        zone = ZoneInfo(village.timezone) if village is not None else None
        return self.now.astimezone(zone) if zone else self.now

    def send(self, to, body, kind, key, **links):
        """Queue an SMS this command legitimately causes (welcome, alert, consent request)."""
        row = queue_sms(to, body, kind, key, **links)
        if row is not None:
            self.sent.append(row)
        return row


# A keyword's handler: carries out one command; returns the reply (text or Reply) or None.
Handler = Callable[[Command], str | Reply | None]
