"""Scheduler texts (reminders, cancellations, summaries) from messages/notices/<lang>.po."""

from pathlib import Path

from messages.gsm import to_gsm
from service.i18n import translate

CATALOGS = Path(__file__).resolve().parent / "notices"
MAX_PLACE = 40  # a long place name must not push a reminder past two SMS
MAX_VILLAGE = 24


def notice_text(key, language, **values):
    """The SMS text for `key` in the recipient's language, placeholders filled."""
    return translate(CATALOGS, key, language, **values)


def short(text, limit):
    """Free text made GSM-7 safe and cut at a word boundary to at most `limit` characters."""
    clean = " ".join(to_gsm(text or "").split())
    if len(clean) <= limit:
        return clean
    cut = clean[:limit].rsplit(" ", 1)[0]
    return cut if len(cut) >= limit // 2 else clean[:limit]


def when_values(local_moment, language):
    """Weekday, date and clock of a local datetime, written the recipient's way."""
    return {
        "weekday": notice_text(f"weekday.{local_moment.weekday()}", language),
        "date": f"{local_moment.day} {notice_text(f'month.{local_moment.month}', language)}",
        "time": notice_text(
            "time.format", language, hour=local_moment.hour, minute=local_moment.minute
        ),
    }
