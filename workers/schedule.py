"""When a person may hear from us: pure time arithmetic in their own zone, with no I/O.

A lesson has a *slot* on each local day: the person's preferred clock time, moved out of quiet
hours. It may go at any moment of the slot's *window* (from the slot until the window length
has passed or quiet hours begin), never twice on one local day, and lessons are spread
evenly over the week. After an outage the next window sends one lesson, then the rhythm
starts again from that send: missed lessons are delayed, never sent in a burst.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAYS_A_WEEK = 7


@lru_cache(maxsize=256)
def zone(name):
    """A ZoneInfo, built once per name."""
    return ZoneInfo(name)


def parse_clock(text):
    """'07:30' as a time."""
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class QuietHours:
    """A daily span of local time when nothing is sent; it may wrap past midnight."""

    start: time
    end: time

    @classmethod
    def parse(cls, text):
        """'20:00-07:00' as QuietHours; empty text or 'none' means no quiet hours."""
        if not text or text.strip().lower() in ("none", "off"):
            return cls(time(0), time(0))
        start, end = text.split("-")
        return cls(parse_clock(start), parse_clock(end))

    def contains(self, clock):
        """True when a local clock time falls inside the quiet span."""
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end


@dataclass(frozen=True)
class Rhythm:
    """How one person hears from us: zone, preferred clock, quiet hours, lessons a week."""

    zone: str
    clock: time
    quiet: QuietHours
    per_week: int = 2
    window: timedelta = timedelta(hours=3)

    @property
    def send_clock(self):
        """The preferred clock, or the end of quiet hours when it falls inside them."""
        return self.quiet.end if self.quiet.contains(self.clock) else self.clock


def local_date(moment, zone_name):
    """The calendar date at an aware instant in a zone."""
    return moment.astimezone(zone(zone_name)).date()


def at_local(day, clock, zone_name):
    """The aware UTC instant of a local date and clock time."""
    return datetime.combine(day, clock, tzinfo=zone(zone_name)).astimezone(UTC)


def gap_days(position, per_week):
    """Local days between lesson `position - 1` and lesson `position`, n a week spread evenly.

    Two a week alternates 3 and 4 days; more than seven a week is capped at one a day.
    """
    per_week = min(max(int(per_week), 1), DAYS_A_WEEK)
    return (position * DAYS_A_WEEK) // per_week - ((position - 1) * DAYS_A_WEEK) // per_week


def window_on(day, rhythm):
    """(start, end) in UTC of the sending window on a local date."""
    start = at_local(day, rhythm.send_clock, rhythm.zone)
    end = start + rhythm.window
    quiet_start = at_local(day, rhythm.quiet.start, rhythm.zone)
    if rhythm.quiet.start != rhythm.quiet.end:
        if quiet_start <= start:
            quiet_start = at_local(day + timedelta(days=1), rhythm.quiet.start, rhythm.zone)
        end = min(end, quiet_start)
    return start, end


def is_quiet(moment, rhythm):
    """True when the instant falls in the person's quiet hours."""
    return rhythm.quiet.contains(moment.astimezone(zone(rhythm.zone)).time())


def window_day(now, rhythm):
    """The local date whose window holds `now`, or None when no window is open."""
    today = local_date(now, rhythm.zone)
    for day in (today - timedelta(days=1), today):
        start, end = window_on(day, rhythm)
        if start <= now < end:
            return day
    return None


def earliest_day(rhythm, now, last_sent_at=None, position=0):
    """The first local date a lesson may go: today, or the rhythm's gap after the last one."""
    day = local_date(now, rhythm.zone) - timedelta(days=1)
    if last_sent_at is not None:
        gap = timedelta(days=gap_days(position, rhythm.per_week))
        day = max(day, local_date(last_sent_at, rhythm.zone) + gap)
    return day


def may_send_now(rhythm, now, last_sent_at=None, position=0):
    """True inside an open window, outside quiet hours, on a day the rhythm allows."""
    day = window_day(now, rhythm)
    if day is None or is_quiet(now, rhythm):
        return False
    return day >= earliest_day(rhythm, now, last_sent_at, position)


def next_slot(rhythm, now, last_sent_at=None, position=0):
    """The start of the first window that is still open at or after `now` on an allowed day.

    The result may lie before `now` when `now` is inside that window (the lesson is due).
    """
    day = earliest_day(rhythm, now, last_sent_at, position)
    for _ in range(DAYS_A_WEEK * 2 + 2):
        start, end = window_on(day, rhythm)
        if end > now and end > start:
            return start
        day += timedelta(days=1)
    raise ValueError(f"no sending window for {rhythm}")  # e.g. quiet hours all day


def deferred_slot(rhythm, now, last_sent_at=None, position=0):
    """The next slot strictly after `now`: where a lesson that may not go now waits."""
    slot = next_slot(rhythm, now, last_sent_at, position)
    if slot > now:
        return slot
    return next_slot(rhythm, window_on(local_date(slot, rhythm.zone), rhythm)[1], None, 0)


def after_send(rhythm, sent_at, position):
    """Where the lesson at `position` waits, given that the one before it went at `sent_at`."""
    return deferred_slot(rhythm, sent_at, sent_at, position)


# ---------------------------------------------------------------- meetings

SOON_BEFORE = timedelta(hours=2)  # the second reminder goes this long before a meeting
MIN_NOTICE = timedelta(minutes=30)  # a reminder later than this before the start is pointless
SUMMARY_GRACE = timedelta(days=2)  # a next-day summary missed for this long is dropped


def out_of_quiet(moment, rhythm):
    """The instant itself, or the end of the quiet hours it falls in."""
    if not is_quiet(moment, rhythm):
        return moment
    day = local_date(moment, rhythm.zone)
    end = at_local(day, rhythm.quiet.end, rhythm.zone)
    return end if end > moment else at_local(day + timedelta(days=1), rhythm.quiet.end, rhythm.zone)


def day_before_reminder(starts_at, rhythm, now):
    """When the day-before reminder goes: the person's slot that day, now if late, or never."""
    day = local_date(starts_at, rhythm.zone) - timedelta(days=1)
    slot = at_local(day, rhythm.send_clock, rhythm.zone)
    if slot >= now:
        return slot
    still_that_day = local_date(now, rhythm.zone) == day and not is_quiet(now, rhythm)
    return now if still_that_day and starts_at - now > SOON_BEFORE else None


def soon_reminder(starts_at, rhythm, now):
    """When the two-hours-before reminder goes: moved out of quiet hours, now if late, or never."""
    latest = starts_at - MIN_NOTICE
    target = starts_at - SOON_BEFORE
    if now <= target:
        moved = out_of_quiet(target, rhythm)
        return moved if moved <= latest else None
    return now if now <= latest and not is_quiet(now, rhythm) else None


def next_day_summary(starts_at, rhythm, now):
    """True when a missed meeting's summary may go now: the day after, from the person's slot."""
    day = local_date(starts_at, rhythm.zone) + timedelta(days=1)
    slot = at_local(day, rhythm.send_clock, rhythm.zone)
    return slot <= now < slot + SUMMARY_GRACE and not is_quiet(now, rhythm)


def weekly_slot(rhythm, now):
    """This local week's Monday slot when it has passed and now is not quiet, else None."""
    today = local_date(now, rhythm.zone)
    monday = today - timedelta(days=today.weekday())
    slot = at_local(monday, rhythm.send_clock, rhythm.zone)
    return slot if slot <= now and not is_quiet(now, rhythm) else None


def iso_week(moment, zone_name):
    """'2026-W10': the ISO week of an instant in a zone, for once-a-week keys."""
    year, week, _ = local_date(moment, zone_name).isocalendar()
    return f"{year}-W{week:02d}"
