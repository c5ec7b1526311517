"""Reporting windows ("this week", "this month") in the programme's time zone, as UTC bounds."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from service.models import utcnow

# Officers read weeks and months as the ministry does: on Jakarta time (WIB).
PROGRAMME_ZONE = ZoneInfo("Asia/Jakarta")


def local(moment):
    """An aware instant on the programme's clock."""
    return moment.astimezone(PROGRAMME_ZONE)


def _midnight(day):
    return datetime.combine(day, time(0), tzinfo=PROGRAMME_ZONE).astimezone(UTC)


def week_start(now=None):
    """Monday 00:00 WIB of the week holding `now`, in UTC."""
    today = local(now or utcnow()).date()
    return _midnight(today - timedelta(days=today.weekday()))


def month_start(now=None):
    """The 1st 00:00 WIB of the month holding `now`, in UTC."""
    return _midnight(local(now or utcnow()).date().replace(day=1))


def week_starts(now=None, weeks=12):
    """The starts of the last `weeks` weeks, oldest first, the current week last."""
    current = week_start(now)
    return [current - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def day_bounds(first=None, last=None):
    """UTC bounds [start, end) covering whole WIB days from `first` to `last` (dates or None)."""
    start = _midnight(first) if first else None
    end = _midnight(last + timedelta(days=1)) if last else None
    return start, end


EARLIEST_DAY = date(1970, 1, 1)  # before any SMS; also keeps UTC conversions inside year 1
LATEST_DAY = date(9998, 12, 30)  # a day before Python's last, so "the day after" still exists


def parse_day(text):
    """A YYYY-MM-DD form value as a date (within 1970..9998), or None when empty or malformed."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return min(max(day, EARLIEST_DAY), LATEST_DAY)
