"""Welcome texts for new recipients, kept within two SMS segments whatever the name."""

from flask import current_app

from messages.gsm import segment_info, to_gsm
from messages.replies import reply_text

MAX_WELCOME_SEGMENTS = 2
MAX_NAME = 20


def gsm_name(name):
    """A short GSM-7 form of a name, so one accent does not double the cost of the SMS."""
    return to_gsm(name or "")[:MAX_NAME].strip()


def welcome_text(key, language, name=None, **values):
    """The welcome with the person's name, or the nameless variant when that is too long."""
    values.setdefault("ussd", current_app.config["USSD_SERVICE_CODE"])
    if name:
        text = reply_text(key, language, name=gsm_name(name), **values)
        if segment_info(text).segments <= MAX_WELCOME_SEGMENTS:
            return text
        key = f"{key}.noname"
    return reply_text(key, language, **values)
