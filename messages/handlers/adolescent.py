"""REMAJA code phone: a teen joins the adolescent track only after the caregiver says SETUJU."""

from sqlalchemy import select

from messages.grammar import Kind
from messages.handlers.context import CommandError
from messages.handlers.lookups import household_in_village, one_phone, refuse_if_used
from messages.handlers.welcome import welcome_text
from service import audit
from service.enrollments import enroll
from service.models import Child, Enrollment, db
from service.states import (
    Channel,
    EnrollmentState,
    HouseholdStatus,
    MessageKind,
    PersonStatus,
    Track,
)

TEEN_AGES = range(12, 18)


def age(child, today):
    """Whole years; a child whose month is unknown counts as born in January."""
    before_birthday = child.birth_month is not None and child.birth_month > today.month
    return today.year - child.birth_year - (1 if before_birthday else 0)


def request(ctx):
    """Store the teen's number, put them on the track pending consent, ask the caregiver."""
    household = household_in_village(ctx)
    if household.status == HouseholdStatus.INACTIVE:
        raise CommandError("error.household_inactive", code=household.code)
    phone = one_phone(ctx)
    child = _the_teen(ctx, household)
    caregiver = _caregiver(household)
    enrollment = _pending_enrollment(ctx, child, phone)
    if enrollment.state == EnrollmentState.ACTIVE:
        return ctx.text("reply.teen.already", code=household.code, year=child.birth_year)
    body = ctx.text("consent.teen.ask", caregiver.language, year=child.birth_year, phone=phone)
    ctx.send(
        caregiver.phone,
        body,
        MessageKind.ALERT,
        f"consent:teen:{enrollment.id}:{ctx.inbound_id}",
        language=caregiver.language,
        village_id=household.village_id,
        enrollment_id=enrollment.id,
    )
    audit.record(ctx.actor, "adolescent.request", "child", child.id, phone=phone)
    return ctx.text("reply.teen.asked", code=household.code, year=child.birth_year)


def _the_teen(ctx, household):
    """The one child aged 12-17, chosen by the birth year typed when there are several."""
    today = ctx.local_now().date()
    teens = [c for c in household.children if age(c, today) in TEEN_AGES]
    if not teens:
        raise CommandError("error.teen_none", code=household.code)
    years = ctx.parsed.values(Kind.YEAR)
    if years:
        teens = [c for c in teens if c.birth_year in years]
        if not teens:
            raise CommandError("error.teen_year", code=household.code, year=years[0])
    if len(teens) > 1:
        listed = ", ".join(str(c.birth_year) for c in teens)
        raise CommandError("error.teen_which", code=household.code, years=listed)
    return teens[0]


def _caregiver(household):
    for caregiver in household.caregivers:
        if caregiver.status != PersonStatus.INACTIVE:
            return caregiver
    raise CommandError("error.household_inactive", code=household.code)


def _pending_enrollment(ctx, child, phone):
    """The child's adolescent enrollment, (re)set to wait for consent unless already active."""
    if child.phone != phone:
        refuse_if_used(ctx, phone)
        child.phone = phone
    enrollment = enroll(
        Track.ADOLESCENT, child.id, state=EnrollmentState.PENDING_CONSENT, now=ctx.now
    )
    if enrollment.state == EnrollmentState.STOPPED:
        enrollment.state = EnrollmentState.PENDING_CONSENT
    db.session.flush()
    return enrollment


def agree(ctx):
    """SETUJU from the caregiver: the waiting teens start their track and are welcomed."""
    return _answer(ctx, agreed=True)


def refuse(ctx):
    """TOLAK from the caregiver: nothing is sent to the teen and their number is forgotten."""
    return _answer(ctx, agreed=False)


def _answer(ctx, agreed):
    caregiver = ctx.sender.caregiver
    waiting = _waiting(caregiver)
    if not waiting:
        return ctx.text("reply.consent.nothing")
    for enrollment in waiting:
        (_start if agreed else _drop)(ctx, enrollment)
    years = ", ".join(str(e.child.birth_year) for e in waiting)
    return ctx.text("reply.consent.yes" if agreed else "reply.consent.no", years=years)


def _waiting(caregiver):
    if caregiver is None or caregiver.status == PersonStatus.INACTIVE:
        return []
    return db.session.scalars(
        select(Enrollment)
        .join(Child, Enrollment.child_id == Child.id)
        .where(
            Child.household_id == caregiver.household_id,
            Enrollment.track == Track.ADOLESCENT,
            Enrollment.state == EnrollmentState.PENDING_CONSENT,
        )
        .order_by(Enrollment.id)
    ).all()


def _start(ctx, enrollment):
    child = enrollment.child
    enrollment.state, enrollment.next_due_at = EnrollmentState.ACTIVE, ctx.now
    child.consent_at, child.consent_via = ctx.now, str(Channel.SMS)  # the caregiver's SETUJU
    language = ctx.language
    ctx.send(
        child.phone,
        welcome_text("welcome.teen", language),
        MessageKind.WELCOME,
        f"welcome:teen:{enrollment.id}",
        language=language,
        village_id=child.household.village_id,
        enrollment_id=enrollment.id,
    )
    audit.record(ctx.actor, "adolescent.consent", "child", child.id, enrollment_id=enrollment.id)


def _drop(ctx, enrollment):
    child = enrollment.child
    enrollment.state = EnrollmentState.STOPPED
    child.phone = None
    audit.record(ctx.actor, "adolescent.refuse", "child", child.id, enrollment_id=enrollment.id)
