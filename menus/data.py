"""The facts the screens read and write, each in one or two indexed queries per hop."""

import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import current_app
from sqlalchemy import bindparam, case, func, literal, null, select, union_all
from sqlalchemy.exc import IntegrityError

from menus.text import gsm_safe, t
from service import audit
from service.config import SUPPORTED_LANGUAGES
from service.enrollments import set_state_for
from service.facilitators import village_facilitator
from service.households import add_child as add_household_child
from service.households import register_household
from service.models import (
    CallbackRequest,
    Caregiver,
    Child,
    Enrollment,
    Facilitator,
    Household,
    LessonFeedback,
    Meeting,
    MeetingRsvp,
    UTCDateTime,
    Village,
    db,
)
from service.outbox import queue_sms
from service.states import (
    CallbackStatus,
    EnrollmentState,
    HouseholdStatus,
    MeetingStatus,
    MessageKind,
    PersonStatus,
    Track,
)

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


def _language(value, default):
    return value if value in SUPPORTED_LANGUAGES else default


def prepared(build):
    """A read built once and run on the session's connection: these run on every hop, and
    building a statement and the ORM layer cost more than the query itself."""
    statement = None

    def run(**params):
        nonlocal statement
        if statement is None:
            statement = build()
        return db.session.connection().execute(statement, params)

    return run


def _cached(name, key, load, ttl):
    """A per-app value kept for `ttl` seconds (village facts change rarely)."""
    cache = current_app.extensions.setdefault(name, {})
    hit = cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    value = load(key)
    cache[key] = (time.monotonic() + ttl, value)
    return value


@prepared
def _callers():
    facilitator = select(
        literal(0).label("rank"),
        Facilitator.id,
        Facilitator.language,
        Facilitator.village_id,
        null().label("household_id"),
    ).where(Facilitator.phone == bindparam("phone"), Facilitator.active.is_(True))
    caregiver = (
        select(
            literal(1).label("rank"),
            Caregiver.id,
            Caregiver.language,
            Household.village_id,
            Caregiver.household_id,
        )
        .join(Household, Household.id == Caregiver.household_id)
        .where(Caregiver.phone == bindparam("phone"))
    )
    return union_all(facilitator, caregiver)


def identify(phone, default_language):
    """Look the caller up once per session, in one query: facilitator first, then caregiver."""
    rows = _callers(phone=phone).all()
    if not rows:
        return Caller("guest", default_language)
    rank, person, lang, village, household = min(rows)
    role = "facilitator" if rank == 0 else "caregiver"
    return Caller(role, _language(lang, default_language), person, village, household)


@prepared
def _village():
    columns = (Village.name, Village.province, Village.timezone, Village.language)
    return select(*columns).where(Village.id == bindparam("id"))


def place(village_id):
    """The village's name, province, zone and language, cached briefly per app."""

    def load(village_id):
        row = _village(id=village_id).first()
        return Place(*row) if row is not None else Place("", "", "Asia/Jakarta", "id")

    return _cached("ussd_places", village_id, load, PLACE_TTL)


def local_time(moment, village_id, lang, pattern=WHEN_FORMAT):
    """A UTC instant as the village reads it, in the caller's language."""
    zone = ZoneInfo(place(village_id).timezone)
    return format_datetime(moment, pattern, tzinfo=zone, locale=lang)


# ---------------------------------------------------------------- caregiver


@prepared
def _lesson_facts():
    enrollment = (Enrollment.caregiver_id == Caregiver.id) & (Enrollment.track == Track.CAREGIVER)
    return (
        select(Caregiver.name, Enrollment.position, Child.birth_year, Child.birth_month)
        .outerjoin(Enrollment, enrollment)
        .outerjoin(Child, Child.household_id == Caregiver.household_id)
        .where(Caregiver.id == bindparam("id"))
    )


def lesson_facts(caregiver_id, now):
    """Name, position of the lesson sent last (0 when none yet), youngest child's age."""
    rows = _lesson_facts(id=caregiver_id).all()
    if not rows:
        return "", 0, None
    ages = [age(row.birth_year, row.birth_month, now) for row in rows if row.birth_year]
    under_18 = [value for value in ages if 0 <= value < 18]
    position = max((rows[0].position or 0) - 1, 0)
    return rows[0].name, position, min(under_18) if under_18 else None


def age(year, month, now):
    """Whole years since birth; an unknown month counts as January."""
    return now.year - year - (1 if month and now.month < month else 0)


@prepared
def _children():
    return (
        select(Child.birth_year, Child.birth_month)
        .where(Child.household_id == bindparam("household"))
        .order_by(Child.birth_year, Child.birth_month, Child.id)
    )


def children(household_id):
    """(birth year, birth month or None) of each child, oldest first."""
    return _children(household=household_id).all()


def add_child(household_id, year, month, actor):
    """Store a child the caregiver added on the menu."""
    household = db.session.get(Household, household_id)
    add_household_child(household, year, month, actor=actor)
    db.session.commit()


def save_feedback(caregiver_id, lesson_id, answer):
    """Record "did you try it?"; a second answer replaces the first."""
    _answer(LessonFeedback, answer, caregiver_id=caregiver_id, lesson_id=lesson_id)


def _answer(model, answer, **keys):
    """Insert or update the one answer row a person has for these keys."""
    for attempt in (1, 2):
        row = db.session.scalar(select(model).filter_by(**keys))
        if row is None:
            db.session.add(model(answer=answer, **keys))
        else:
            row.answer = answer
        try:
            db.session.commit()
            return
        except IntegrityError:  # a parallel hop inserted it first: update that row instead
            db.session.rollback()
            if attempt == 2:
                raise


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
    found = _cached(
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


@prepared
def _rsvp():
    return select(MeetingRsvp.answer).where(
        MeetingRsvp.meeting_id == bindparam("meeting"),
        MeetingRsvp.caregiver_id == bindparam("caregiver"),
    )


def rsvp_of(meeting_id, caregiver_id):
    """The caregiver's answer for a meeting, or None."""
    return _rsvp(meeting=meeting_id, caregiver=caregiver_id).scalar()


def save_rsvp(meeting_id, caregiver_id, answer):
    """Record "will you come?"; a second answer replaces the first."""
    _answer(MeetingRsvp, answer, meeting_id=meeting_id, caregiver_id=caregiver_id)


def rsvp_counts(meeting_id):
    """{answer: how many} for a meeting."""
    rows = db.session.execute(
        select(MeetingRsvp.answer, func.count())
        .where(MeetingRsvp.meeting_id == meeting_id)
        .group_by(MeetingRsvp.answer)
    )
    return dict(rows.all())


@prepared
def _settings():
    return select(Caregiver.status, Caregiver.preferred_time).where(Caregiver.id == bindparam("id"))


def caregiver_settings(caregiver_id):
    """(status, preferred time of day) of a caregiver."""
    return _settings(id=caregiver_id).first()


def set_lessons(caregiver_id, status, actor):
    """Pause or resume lessons: the caregiver's status and their caregiver enrollment.

    A household still waiting for its facilitator keeps its enrollment paused on resume.
    """
    caregiver = db.session.get(Caregiver, caregiver_id)
    caregiver.status = str(status)
    state = EnrollmentState.PAUSED
    if status == PersonStatus.ACTIVE and caregiver.household.status == HouseholdStatus.ACTIVE:
        state = EnrollmentState.ACTIVE
    set_state_for(Track.CAREGIVER, caregiver_id, state)
    audit.record(actor, f"caregiver.{status}", "caregiver", caregiver_id)
    db.session.commit()


def set_caregiver(caregiver_id, actor, **changes):
    """Store a caregiver's language or preferred time, audited."""
    caregiver = db.session.get(Caregiver, caregiver_id)
    for name, value in changes.items():
        setattr(caregiver, name, str(value))
    audit.record(actor, "caregiver.update", "caregiver", caregiver_id, **changes)
    db.session.commit()


def set_facilitator_language(facilitator_id, lang, actor):
    """Store the language a facilitator chose on the menu."""
    db.session.get(Facilitator, facilitator_id).language = lang
    audit.record(actor, "facilitator.update", "facilitator", facilitator_id, language=lang)
    db.session.commit()


def alert_facilitator(village_id, key, text_key, **values):
    """Write an alert SMS to the village facilitator in their language (if there is one)."""
    facilitator = village_facilitator(village_id)
    if facilitator is None:
        return None
    body = t(facilitator.language, text_key, **{k: gsm_safe(str(v)) for k, v in values.items()})
    return queue_sms(
        facilitator.phone,
        body,
        MessageKind.ALERT,
        key,
        language=facilitator.language,
        village_id=village_id,
    )


def request_callback(caregiver_id, actor, now):
    """Open a callback request and alert the facilitator; False when one is already open."""
    open_id = db.session.scalar(
        select(CallbackRequest.id).where(
            CallbackRequest.caregiver_id == caregiver_id,
            CallbackRequest.status == CallbackStatus.OPEN,
        )
    )
    if open_id is not None:
        return False
    caregiver = db.session.get(Caregiver, caregiver_id)
    household = caregiver.household
    row = CallbackRequest(
        caregiver_id=caregiver_id, village_id=household.village_id, created_at=now
    )
    db.session.add(row)
    db.session.flush()
    alert_facilitator(
        household.village_id,
        f"ussd:callback:{row.id}",
        "sms.callback",
        name=caregiver.name,
        phone=caregiver.phone,
        code=household.code,
    )
    audit.record(actor, "callback.request", "callback_request", row.id, household=household.code)
    db.session.commit()
    return True


# ---------------------------------------------------------------- registration


def villages():
    """(name, id) of every village, by name, for the registration list."""
    return db.session.execute(select(Village.name, Village.id).order_by(Village.name)).all()


def register(phone, form, lang, actor, now):
    """Create the pending household from the registration answers; returns its code."""
    village = db.session.get(Village, form["village"])
    outcome = register_household(
        village=village,
        name=form["name"],
        phone=phone,
        relationship=form["relationship"],
        births=[(year, None) for year in form["births"]],
        language=lang,
        via="ussd",
        status=HouseholdStatus.PENDING,
        actor=actor,
        now=now,
    )
    if outcome.created:
        alert_facilitator(
            village.id,
            f"ussd:register:{outcome.household.id}",
            "sms.register",
            code=outcome.household.code,
            name=form["name"],
            phone=phone,
        )
    db.session.commit()
    return outcome.household.code


# ---------------------------------------------------------------- facilitator


def households(village_id):
    """(code, status, first caregiver's name) of the village's households, pending first."""
    first_name = (
        select(Caregiver.name)
        .where(Caregiver.household_id == Household.id)
        .order_by(Caregiver.id)
        .limit(1)
        .scalar_subquery()
    )
    pending_first = case((Household.status == HouseholdStatus.PENDING, 0), else_=1)
    return db.session.execute(
        select(Household.code, Household.status, first_name)
        .where(Household.village_id == village_id)
        .order_by(pending_first, Household.created_at.desc(), Household.id.desc())
    ).all()


def open_callbacks(village_id):
    """(id, caregiver name, asked at) of the village's open callback requests, oldest first."""
    return db.session.execute(
        select(CallbackRequest.id, Caregiver.name, CallbackRequest.created_at)
        .join(Caregiver, Caregiver.id == CallbackRequest.caregiver_id)
        .where(
            CallbackRequest.village_id == village_id,
            CallbackRequest.status == CallbackStatus.OPEN,
        )
        .order_by(CallbackRequest.created_at, CallbackRequest.id)
    ).all()


def callback(callback_id, village_id):
    """(name, phone, asked at, status) of one of the village's callback requests, or None."""
    return db.session.execute(
        select(Caregiver.name, Caregiver.phone, CallbackRequest.created_at, CallbackRequest.status)
        .join(Caregiver, Caregiver.id == CallbackRequest.caregiver_id)
        .where(CallbackRequest.id == callback_id, CallbackRequest.village_id == village_id)
    ).first()


def close_callback(callback_id, village_id, actor, now):
    """Mark a callback request done; False when it is not the village's or already done."""
    row = db.session.get(CallbackRequest, callback_id)
    if row is None or row.village_id != village_id or row.status != CallbackStatus.OPEN:
        return False
    row.status = CallbackStatus.DONE
    row.resolved_at = now
    audit.record(actor, "callback.done", "callback_request", callback_id)
    db.session.commit()
    return True
