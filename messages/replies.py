"""Reply and alert texts: catalogs in messages/replies/<lang>.po, keyed by stable ids."""

from pathlib import Path

from service.i18n import translate

CATALOGS = Path(__file__).resolve().parent / "replies"


def reply_text(key, language, **values):
    """The SMS text for `key` in the recipient's language, placeholders filled."""
    return translate(CATALOGS, key, language, **values)
