"""Who the scheduler may write to, and in which zone and rhythm they live."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from service.models import Caregiver, Household, OptOut, db
from service.phones import timezone_of
from service.states import HouseholdStatus, PersonStatus
from workers.schedule import QuietHours, Rhythm, parse_clock

# Reminders and cancellations reach people who paused lessons; summaries are lesson-like.
REMINDED = (PersonStatus.ACTIVE, PersonStatus.PAUSED)
TAUGHT = (PersonStatus.ACTIVE,)


@dataclass(frozen=True)
class Person:
    """One caregiver as the reminder and summary jobs need them."""

    id: int
    phone: str
    language: str
    preferred_time: str
    household_id: int


def village_caregivers(village_id, statuses=REMINDED, registered_before=None):
    """Caregivers of active households in a village, in these states, not opted out."""
    query = (
        select(
            Caregiver.id,
            Caregiver.phone,
            Caregiver.language,
            Caregiver.preferred_time,
            Caregiver.household_id,
        )
        .join(Household, Household.id == Caregiver.household_id)
        .outerjoin(OptOut, OptOut.phone == Caregiver.phone)
        .where(
            Household.village_id == village_id,
            Household.status == HouseholdStatus.ACTIVE,
            Caregiver.status.in_([str(s) for s in statuses]),
            OptOut.id.is_(None),
        )
        .order_by(Caregiver.id)
    )
    if registered_before is not None:
        query = query.where(Household.created_at <= registered_before)
    return [Person(*row) for row in db.session.execute(query)]


def zone_for(phone, village_zone):
    """The village's zone for Indonesian numbers; the phone's country's zone otherwise."""
    if not phone or phone.startswith("+62"):
        return village_zone
    return timezone_of(phone, fallback=village_zone)


def rhythm_for(config, zone, time_of_day, per_week=None):
    """A person's Rhythm from the app's settings and their own preferences."""
    clocks = config["TIME_OF_DAY_CLOCK"]
    clock = clocks.get(time_of_day or "") or clocks.get("morning", "08:00")
    return Rhythm(
        zone=zone,
        clock=parse_clock(clock),
        quiet=QuietHours.parse(config["QUIET_HOURS"]),
        per_week=per_week or config["LESSONS_PER_WEEK"],
        window=timedelta(minutes=config["LESSON_WINDOW_MINUTES"]),
    )


def lessons_per_week(config, track, village_override=None):
    """The village's own frequency when set, else the track's, else the global default."""
    if village_override:
        return village_override
    return config["TRACK_LESSONS_PER_WEEK"].get(str(track)) or config["LESSONS_PER_WEEK"]
