"""Who dialled, what the screens show of their village, and the village's meetings."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import current_app
from sqlalchemy import bindparam, select

from menus.data.reads import cached, prepared
from service.languages import registry
from service.models import Meeting, UTCDateTime, Village
from service.owners import owner
from service.states import MeetingStatus

PLACE_TTL = 60.0  # seconds a village's name and zone are reused without asking the DB
MEETING_TTL = 30.0  # seconds a village's next meeting is reused (a new one shows after this)
WHEN_FORMAT = "EEE d MMM HH:mm"  # "Sab 5 Des 15:00" / "Sat 5 Dec 15:00"
DAY_FORMAT = "d MMM HH:mm"


@dataclass(frozen=True)
class Caller:
    """Who dialled: a facilitator, a registered caregiver, or a guest."""

    role: str
    lang: str
    person: int | None = None
    village: int | None = None
    household: int | None = None


@dataclass(frozen=True)
class Place:
    """What the screens show of a village."""

    name: str
    province: str
    timezone: str
    language: str
    uptd_ppa: str | None = None  # the local services its admin has named, if any
    puskesmas: str | None = None
    hotline: str | None = None


def _language(value, default):
    """A stored language the registry still knows, else the default."""
    return value if value in registry() else default


def identify(phone, default_language):
    """Look the caller up once per session: an active facilitator first, then a caregiver."""
    found = owner(phone, "facilitator", "caregiver", active_only=True)
    if found is None:
        return Caller("guest", default_language)
    language = _language(found.language, default_language)
    return Caller(found.role, language, found.id, found.village_id, found.household_id)


@prepared
def _village():
    columns = (Village.name, Village.province, Village.timezone, Village.language)
    columns += (Village.uptd_ppa, Village.puskesmas, Village.hotline)
    return select(*columns).where(Village.id == bindparam("id"))


def place(village_id):
    """The village's name, province, zone and language, cached briefly per app."""

    def load(village_id):
        row = _village(id=village_id).first()
        return Place(*row) if row is not None else Place("", "", "Asia/Jakarta", "id")

    return cached("ussd_places", village_id, load, PLACE_TTL)


def local_time(moment, village_id, lang, pattern=WHEN_FORMAT):
    """A UTC instant as the village reads it, in the caller's language."""
    zone = ZoneInfo(place(village_id).timezone)
    return format_datetime(moment, pattern, tzinfo=zone, locale=lang)


@prepared
def _next_meeting():
    return (
        select(Meeting.id, Meeting.starts_at, Meeting.place)
        .where(
            Meeting.village_id == bindparam("village"),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > bindparam("now", type_=UTCDateTime),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
    )


def next_meeting(village_id, now):
    """(id, starts_at, place) of the village's next meeting not started yet, or None.

    Kept briefly per app: every caller of a village asks for the same one.
    """
    found = cached(
        "ussd_meetings",
        village_id,
        lambda v: _next_meeting(village=v, now=now).first(),
        MEETING_TTL,
    )
    if found is not None and found.starts_at <= now:  # started meanwhile: look again
        current_app.extensions["ussd_meetings"].pop(village_id)
        return next_meeting(village_id, now)
    return found


@prepared
def _meeting():
    return select(Meeting.id, Meeting.starts_at, Meeting.place).where(Meeting.id == bindparam("id"))


def meeting(meeting_id):
    """(id, starts_at, place) of a meeting, or None."""
    return _meeting(id=meeting_id).first()
