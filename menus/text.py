"""Menu texts come from the translation catalogs in menus/catalogs, never from code."""

from pathlib import Path

from messages.gsm import is_gsm, suggest
from service.i18n import translate

CATALOGS = Path(__file__).with_name("catalogs")


def t(language, key, **values):
    """The catalog text for `key` in `language`, with `{placeholders}` filled."""
    return translate(CATALOGS, key, language, **values)


def gsm_safe(text):
    """Text a basic phone shows as written: look-alikes replaced, the rest as '?'."""
    if text.isascii():
        return text
    return "".join(c if is_gsm(c) else (suggest(c) or "?") for c in text)


def clip(text, width):
    """At most `width` characters, with '.' marking a cut, for names inside lists."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "."
