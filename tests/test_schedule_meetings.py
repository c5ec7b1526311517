"""When meeting reminders, next-day summaries and weekly summaries go, as labelled tables."""

from datetime import time, timedelta

import pytest

from tests.fixtures.schedule import at, local_text
from workers.schedule import (
    QuietHours,
    Rhythm,
    day_before_reminder,
    iso_week,
    next_day_summary,
    soon_reminder,
    weekly_slot,
)

QUIET = QuietHours.parse("20:00-07:00")


def rhythm(zone, clock="08:00"):
    hours, minutes = map(int, clock.split(":"))
    return Rhythm(zone, time(hours, minutes), QUIET, 2, timedelta(hours=3))


def shown(moment, zone):
    return None if moment is None else local_text(moment, zone)


# fmt: off
# zone, preferred clock, meeting start (local), now (local), day-before at, two-hours-before at
REMINDER_CASES = [
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-06 19:00", "2031-03-03 09:00",
        "2031-03-05 08:00", "2031-03-06 17:00",
        id="a Thursday 19:00 meeting: Wednesday 08:00 at the caregiver's hour, then 17:00",
    ),
    pytest.param(
        "Asia/Makassar", "18:00", "2031-03-06 15:00", "2031-03-03 09:00",
        "2031-03-05 18:00", "2031-03-06 13:00",
        id="an evening caregiver in Makassar hears the day before at 18:00 WITA",
    ),
    pytest.param(
        "Asia/Jayapura", "12:00", "2031-03-06 10:00", "2031-03-04 09:00",
        "2031-03-05 12:00", "2031-03-06 08:00",
        id="in Jayapura both reminders follow WIT",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-06 07:30", "2031-03-03 09:00",
        "2031-03-05 08:00", "2031-03-06 07:00",
        id="a 07:30 meeting's second reminder moves out of quiet hours to 07:00",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-06 07:20", "2031-03-03 09:00",
        "2031-03-05 08:00", None,
        id="a 07:20 meeting gets no second reminder rather than one at dawn",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-06 16:00", "2031-03-06 14:30",
        None, "2031-03-06 14:30",
        id="a meeting created 90 minutes ahead gets one reminder at once",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-06 16:00", "2031-03-06 15:40",
        None, None,
        id="a meeting created 20 minutes ahead gets no reminder at all",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-06 16:00", "2031-03-05 15:00",
        "2031-03-05 15:00", "2031-03-06 14:00",
        id="a meeting created the afternoon before gets the day-before reminder at once",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-06 16:00", "2031-03-05 21:00",
        None, "2031-03-06 14:00",
        id="a meeting created at night for tomorrow skips the day-before reminder in quiet hours",
    ),
    pytest.param(
        "Asia/Riyadh", "18:00", "2031-03-06 20:30", "2031-03-03 09:00",
        "2031-03-05 18:00", "2031-03-06 18:30",
        id="a caregiver abroad in Riyadh is reminded in Riyadh time",
    ),
]
# fmt: on


@pytest.mark.parametrize("zone, clock, starts, now, day, soon", REMINDER_CASES)
def test_when_meeting_reminders_go(zone, clock, starts, now, day, soon):
    person, start, instant = rhythm(zone, clock), at(zone, starts), at(zone, now)
    assert shown(day_before_reminder(start, person, instant), zone) == day
    assert shown(soon_reminder(start, person, instant), zone) == soon


# fmt: off
SUMMARY_CASES = [
    pytest.param("2031-03-04 07:59", False, id="not before the caregiver's hour the next day"),
    pytest.param("2031-03-04 08:00", True, id="from the caregiver's hour on the next day"),
    pytest.param("2031-03-04 21:00", False, id="not in quiet hours"),
    pytest.param("2031-03-05 09:00", True, id="a day late after an outage it still goes"),
    pytest.param("2031-03-06 08:01", False, id="two days late it is dropped as stale"),
    pytest.param("2031-03-03 22:00", False, id="not on the evening of the meeting itself"),
]
# fmt: on


@pytest.mark.parametrize("now, goes", SUMMARY_CASES)
def test_when_a_missed_meetings_summary_goes(now, goes):
    zone = "Asia/Makassar"
    start = at(zone, "2031-03-03 19:00")
    assert next_day_summary(start, rhythm(zone), at(zone, now)) is goes


# fmt: off
WEEKLY_CASES = [
    pytest.param("Asia/Jakarta", "2031-03-03 07:59", None, id="not before Monday 08:00 WIB"),
    pytest.param("Asia/Jakarta", "2031-03-03 08:00", "2031-03-03 08:00", id="Monday 08:00 WIB"),
    pytest.param(
        "Asia/Jayapura", "2031-03-03 08:00", "2031-03-03 08:00",
        id="Monday 08:00 WIT, which is Sunday evening in UTC",
    ),
    pytest.param(
        "Asia/Makassar", "2031-03-05 10:00", "2031-03-03 08:00",
        id="on Wednesday after an outage the week's slot has passed and it may go",
    ),
    pytest.param("Asia/Makassar", "2031-03-05 22:00", None, id="but never in quiet hours"),
]
# fmt: on


@pytest.mark.parametrize("zone, now, slot", WEEKLY_CASES)
def test_when_the_weekly_facilitator_summary_goes(zone, now, slot):
    assert shown(weekly_slot(rhythm(zone), at(zone, now)), zone) == slot


def test_the_week_key_follows_the_local_calendar():
    monday_in_jayapura = at("Asia/Jayapura", "2031-03-03 08:00")  # Sunday 23:00 UTC
    assert iso_week(monday_in_jayapura, "Asia/Jayapura") == "2031-W10"
    assert iso_week(monday_in_jayapura, "UTC") == "2031-W09"
