"""Welcome texts for new recipients, kept within two SMS segments whatever the name."""

from flask import current_app

from messages.replies import reply_text
from service.outbox import segment_count

MAX_WELCOME_SEGMENTS = 2
MAX_NAME = 20


def gsm_name(name):
    """A short GSM-7 form of a name, so one accent does not double the cost of the SMS."""
    try:
        from messages.gsm import to_gsm
    except ImportError:  # pragma: no cover - only before messages.gsm exists
        return (name or "")[:MAX_NAME].strip()
    return to_gsm(name or "")[:MAX_NAME].strip()


def welcome_text(key, language, name=None, **values):
    """The welcome with the person's name, or the nameless variant when that is too long."""
    values.setdefault("ussd", current_app.config["USSD_SERVICE_CODE"])
    if name:
        text = reply_text(key, language, name=gsm_name(name), **values)
        if segment_count(text) <= MAX_WELCOME_SEGMENTS:
            return text
        key = f"{key}.noname"
    return reply_text(key, language, **values)
