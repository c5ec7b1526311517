"""The scheduler's own texts: complete in both languages, GSM-7, at most two SMS each."""

from datetime import datetime

import pytest

from messages.gsm import GSM7, segment_info
from messages.lessons import load_catalog
from messages.notices import CATALOGS, MAX_PLACE, MAX_VILLAGE, notice_text, short, when_values
from service.i18n import load_domain, missing_translations
from service.languages import load

LANGUAGES = [language.code for language in load().offering("notices")]
LONGEST_WEEKDAY = datetime(2031, 12, 30, 19, 45)  # a Tuesday (Selasa) late in December


def worst_values(language):
    """Every placeholder at its longest: place and village cut as the jobs cut them."""
    titles = [lesson.title for lesson in load_catalog().lessons("facilitator", language)]
    values = {
        "place": "P" * MAX_PLACE,
        "village": "V" * MAX_VILLAGE,
        "topic": max(titles, key=len),
        "ussd": "*384*12345#",
        "households": 9999,
        "failed": 9999,
        "callbacks": 9999,
        **when_values(LONGEST_WEEKDAY, language),
    }
    values["next"] = notice_text("weekly.next_meeting", language, **values)
    return values


MESSAGE_KEYS = [
    "reminder.day",
    "reminder.day.no_topic",
    "reminder.soon",
    "meeting.cancelled",
    "meeting.missed",
    "weekly.summary",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", MESSAGE_KEYS)
def test_every_scheduler_text_fits_two_gsm7_segments_at_its_longest(key, language):
    text = notice_text(key, language, **worst_values(language))
    info = segment_info(text)
    assert "{" not in text and info.encoding == GSM7 and info.segments <= 2, text


def test_the_source_languages_have_every_text():
    assert missing_translations(CATALOGS) == []
    assert {x.code for x in load().sources()} <= set(load_domain(str(CATALOGS))) <= set(LANGUAGES)


@pytest.mark.parametrize(
    "language, expected",
    [
        pytest.param("id", ("Selasa", "30 Des", "19.45"), id="Indonesian writes 19.45"),
        pytest.param("en", ("Tue", "30 Dec", "19:45"), id="English writes 19:45"),
    ],
)
def test_dates_and_times_are_written_the_recipients_way(language, expected):
    values = when_values(LONGEST_WEEKDAY, language)
    assert (values["weekday"], values["date"], values["time"]) == expected


@pytest.mark.parametrize(
    "raw, limit, expected",
    [
        pytest.param("Balai Desa", 40, "Balai Desa", id="a short place is kept"),
        pytest.param(
            "Rumah Bu Siti dekat masjid besar di ujung gang", 30, "Rumah Bu Siti dekat masjid",
            id="a long place is cut at a word",
        ),
        pytest.param("Balai \u201cDesa\u201d", 40, 'Balai "Desa"', id="smart quotes become GSM-7"),
    ],
)  # fmt: skip
def test_free_text_is_made_short_and_gsm7(raw, limit, expected):
    assert short(raw, limit) == expected
