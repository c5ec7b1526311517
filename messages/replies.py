"""Reply and alert texts: catalogs in messages/replies/<lang>.po, keyed by stable ids."""

from pathlib import Path

from messages.gsm import to_gsm
from service.i18n import translate

CATALOGS = Path(__file__).resolve().parent / "replies"


def reply_text(key, language, **values):
    """The SMS text for `key` in the recipient's language, placeholders filled."""
    return translate(CATALOGS, key, language, **values)


def alert_text(key):
    """The text maker `service.facilitators.alert_facilitator` calls: (language, **values) -> body.

    Values come from people's names and numbers, so they are made GSM-7 safe first.
    """

    def text(language, **values):
        return reply_text(key, language, **{k: to_gsm(str(v)) for k, v in values.items()})

    return text
