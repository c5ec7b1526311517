"""The lesson scheduler's time rules, as labelled tables across the zones our people live in."""

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixtures.schedule import at, local_text
from workers.schedule import (
    QuietHours,
    Rhythm,
    after_send,
    deferred_slot,
    gap_days,
    is_quiet,
    local_date,
    may_send_now,
    next_slot,
)

QUIET = QuietHours.parse("20:00-07:00")
ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Asia/Hong_Kong", "Asia/Riyadh"]


def rhythm(zone, clock="08:00", quiet=QUIET, per_week=2, window_hours=3):
    hours, minutes = map(int, clock.split(":"))
    return Rhythm(zone, time(hours, minutes), quiet, per_week, timedelta(hours=window_hours))


# zone, preferred clock, last lesson (local) or None, now (local), sends now?, next slot (local)
# fmt: off
SEND_CASES = [
    pytest.param(
        "Asia/Jakarta", "08:00", None, "2031-03-03 08:00", True, "2031-03-03 08:00",
        id="a Jakarta caregiver who prefers mornings gets the lesson at 08:00 WIB",
    ),
    pytest.param(
        "Asia/Makassar", "08:00", None, "2031-03-03 07:30", False, "2031-03-03 08:00",
        id="in Makassar at 07:30 WITA the morning lesson waits half an hour",
    ),
    pytest.param(
        "Asia/Jayapura", "08:00", None, "2031-03-03 08:05", True, "2031-03-03 08:00",
        id="in Jayapura 08:05 WIT is still the evening before in UTC and the lesson goes",
    ),
    pytest.param(
        "Asia/Hong_Kong", "18:00", None, "2031-03-03 18:10", True, "2031-03-03 18:00",
        id="a migrant mother in Hong Kong who prefers evenings gets it at 18:00 HKT",
    ),
    pytest.param(
        "Asia/Riyadh", "18:00", None, "2031-03-03 18:00", True, "2031-03-03 18:00",
        id="in Riyadh the evening lesson goes at 18:00 AST though Jakarta is then quiet",
    ),
    pytest.param(
        "Asia/Riyadh", "18:00", None, "2031-03-03 17:00", False, "2031-03-03 18:00",
        id="in Riyadh at 17:00 the evening lesson waits for 18:00 local, not Jakarta time",
    ),
    pytest.param(
        "Asia/Jakarta", "12:00", None, "2031-03-03 12:30", True, "2031-03-03 12:00",
        id="a midday preference sends at 12:00 local",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", None, "2031-03-03 11:30", False, "2031-03-04 08:00",
        id="after the three-hour window a morning lesson waits for tomorrow morning",
    ),
    pytest.param(
        "Asia/Makassar", "18:00", None, "2031-03-03 20:10", False, "2031-03-04 18:00",
        id="an evening window closes when quiet hours begin at 20:00",
    ),
    pytest.param(
        "Asia/Jayapura", "18:00", None, "2031-03-03 23:30", False, "2031-03-04 18:00",
        id="nothing goes in the middle of the night in Jayapura",
    ),
    pytest.param(
        "Asia/Jakarta", "06:00", None, "2031-03-03 06:30", False, "2031-03-03 07:00",
        id="a preferred time inside quiet hours moves to the end of quiet hours",
    ),
    pytest.param(
        "Asia/Jakarta", "06:00", None, "2031-03-03 07:00", True, "2031-03-03 07:00",
        id="the moved slot sends as soon as quiet hours end",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-03 08:01", "2031-03-03 09:00", False,
        "2031-03-06 08:00",
        id="never two lessons on one local day; the next waits the rhythm's gap",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-02-20 08:00", "2031-03-03 09:30", True,
        "2031-03-03 08:00",
        id="after an outage of days one lesson goes in the next open window",
    ),
    pytest.param(
        "Asia/Makassar", "08:00", "2031-02-20 08:00", "2031-03-03 21:00", False,
        "2031-03-04 08:00",
        id="an outage that ends at night waits for the morning instead of sending in quiet hours",
    ),
    pytest.param(
        "Asia/Hong_Kong", "18:00", "2031-03-02 18:00", "2031-03-03 18:00", False,
        "2031-03-05 18:00",
        id="a migrant in Hong Kong is not sent a lesson on two days running",
    ),
]
# fmt: on


@pytest.mark.parametrize("zone, clock, last, now, sends, slot", SEND_CASES)
def test_when_a_lesson_goes(zone, clock, last, now, sends, slot):
    person = rhythm(zone, clock)
    last_sent = at(zone, last) if last else None
    instant = at(zone, now)
    assert may_send_now(person, instant, last_sent, position=1) is sends
    assert local_text(next_slot(person, instant, last_sent, position=1), zone) == slot


# fmt: off
GAP_CASES = [
    pytest.param(2, [3, 4, 3, 4, 3, 4], id="two a week alternate three and four days"),
    pytest.param(1, [7, 7, 7], id="one a week waits seven days"),
    pytest.param(3, [2, 2, 3, 2, 2, 3], id="three a week spread as 2, 2 and 3 days"),
    pytest.param(7, [1, 1, 1], id="seven a week is one a day"),
    pytest.param(12, [1, 1, 1], id="more than seven a week is capped at one a day"),
    pytest.param(0, [7, 7], id="a zero setting is read as once a week, never as never"),
]
# fmt: on


@pytest.mark.parametrize("per_week, gaps", GAP_CASES)
def test_lessons_are_spread_over_the_week(per_week, gaps):
    assert [gap_days(position, per_week) for position in range(1, len(gaps) + 1)] == gaps


# fmt: off
AFTER_SEND_CASES = [
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-03 08:00", 1, "2031-03-06 08:00",
        id="after lesson 1 on Monday morning in Jakarta, lesson 2 is due Thursday 08:00 WIB",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-06 08:00", 2, "2031-03-10 08:00",
        id="after lesson 2 on Thursday, lesson 3 is due the next Monday",
    ),
    pytest.param(
        "Asia/Jayapura", "08:00", "2031-03-03 08:00", 1, "2031-03-06 08:00",
        id="in Jayapura the gap is counted in local days, not UTC days",
    ),
    pytest.param(
        "Asia/Riyadh", "18:00", "2031-03-03 19:30", 1, "2031-03-06 18:00",
        id="a lesson sent late in the Riyadh window still leads to the usual slot",
    ),
    pytest.param(
        "Asia/Jakarta", "08:00", "2031-03-03 10:59", 1, "2031-03-06 08:00",
        id="a lesson sent at the end of the window does not shift the person's hour",
    ),
]
# fmt: on


@pytest.mark.parametrize("zone, clock, sent, position, due", AFTER_SEND_CASES)
def test_where_the_next_lesson_waits(zone, clock, sent, position, due):
    assert local_text(after_send(rhythm(zone, clock), at(zone, sent), position), zone) == due


def test_quiet_hours_can_be_switched_off_and_windows_then_cross_midnight():
    person = rhythm("Asia/Jakarta", "23:00", quiet=QuietHours.parse("none"))
    assert may_send_now(person, at("Asia/Jakarta", "2031-03-04 01:00"))
    assert not may_send_now(person, at("Asia/Jakarta", "2031-03-04 02:30"))


def test_custom_quiet_hours_let_an_evening_window_run_later():
    person = rhythm("Asia/Jakarta", "18:00", quiet=QuietHours.parse("21:00-06:00"))
    assert may_send_now(person, at("Asia/Jakarta", "2031-03-03 20:30"))
    assert not may_send_now(person, at("Asia/Jakarta", "2031-03-03 21:00"))


def test_a_person_who_may_not_hear_now_waits_for_a_later_window():
    person = rhythm("Asia/Jakarta", "08:00")
    now = at("Asia/Jakarta", "2031-03-03 08:30")  # a window is open, but they are paused
    assert local_text(deferred_slot(person, now), "Asia/Jakarta") == "2031-03-04 08:00"


def simulate(person, start, days, outage=None):
    """Tick every 20 minutes for `days`, as the clock does; returns the instants sent."""
    sent, due, position = [], start, 0
    now, end = start, start + timedelta(days=days)
    while now < end:
        if outage and outage[0] <= now < outage[1]:
            now += timedelta(minutes=20)
            continue
        last = sent[-1] if sent else None
        if due <= now:
            if may_send_now(person, now, last, position):
                sent.append(now)
                position += 1
                due = after_send(person, now, position)
            else:
                due = deferred_slot(person, now, last, position)
        now += timedelta(minutes=20)
    return sent


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("clock", ["08:00", "12:00", "18:00"])
def test_eight_weeks_of_ticks_send_twice_a_week_at_the_right_hour(zone, clock):
    person = rhythm(zone, clock)
    sent = simulate(person, at(zone, "2031-03-03 00:00"), days=56)
    assert len(sent) == 16
    local_days = [local_date(moment, zone) for moment in sent]
    assert len(set(local_days)) == len(local_days)  # never two on one local day
    assert all(not is_quiet(moment, person) for moment in sent)
    assert all(local_text(moment, zone)[11:] == clock for moment in sent)


@pytest.mark.parametrize("zone", ZONES)
def test_after_a_five_day_outage_one_lesson_goes_then_the_rhythm_resumes(zone):
    person = rhythm(zone, "08:00")
    start = at(zone, "2031-03-03 00:00")
    outage = (start + timedelta(days=2), start + timedelta(days=7, hours=10))
    sent = simulate(person, start, days=21, outage=outage)
    after = [moment for moment in sent if moment >= outage[1]]
    assert local_text(after[0], zone) == local_text(outage[1], zone)  # first open window
    gaps = [(b - a).days for a, b in zip(after, after[1:], strict=False)]
    assert gaps and all(gap >= 3 for gap in gaps)  # no burst of missed lessons


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    clock=st.sampled_from(["06:00", "08:00", "12:00", "18:00", "19:30"]),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 30),
    since=st.one_of(st.none(), st.integers(min_value=0, max_value=60 * 24 * 20)),
    per_week=st.integers(min_value=1, max_value=7),
)
def test_every_slot_is_out_of_quiet_hours_and_every_wait_is_in_the_future(
    zone, clock, minutes, since, per_week
):
    person = rhythm(zone, clock, per_week=per_week)
    now = datetime(2031, 3, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    last = None if since is None else now - timedelta(minutes=since)
    assert not is_quiet(next_slot(person, now, last, 1), person)
    waiting = deferred_slot(person, now, last, 1)
    assert waiting > now and not is_quiet(waiting, person)
    following = after_send(person, now, 1)
    assert local_date(following, zone) > local_date(now, zone)
