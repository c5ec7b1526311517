"""DAFTAR, ANAK, PMI, GANTI, HAPUS, INFO: a facilitator manages the village's households."""

from sqlalchemy import select

from messages import grammar
from messages.grammar import Kind
from messages.handlers.context import CommandError
from messages.handlers.lookups import (
    births,
    format_birth,
    household_in_village,
    one_phone,
    phone_user,
    refuse_if_used,
    unexpected_numbers,
)
from messages.handlers.welcome import welcome_text
from service import audit, phones
from service.enrollments import enroll, lessons_received, set_state_for
from service.households import MAX_CHILDREN, find_caregiver, register_household
from service.households import add_child as add_child_row
from service.models import Enrollment, MigrantParent, db
from service.outbox import cancel_to, follow_caregiver
from service.states import (
    Channel,
    EnrollmentState,
    HouseholdStatus,
    MessageKind,
    PersonStatus,
    Track,
)

# Words facilitators add around the fields ("anak 2016", "hp 0812..."): not part of a name.
FILLER_WORDS = frozenset(
    {
        *("anak", "lahir", "tahun", "thn", "tgl", "tanggal", "no", "nomor", "nomer", "hp"),
        *("nama", "hubungan", "sebagai", "dan", "child", "children", "born", "year", "phone"),
        *("number", "name", "relationship", "as", "and"),
    }
)
MAX_NAME = 120
HOME_COUNTRY = "ID"


def register(ctx):
    """DAFTAR name phone relationship births: a new household, or the code it already has."""
    phone = one_phone(ctx)
    unexpected_numbers(ctx)
    name, relationship = grammar.name_and_relationship(ctx.parsed, ignore=FILLER_WORDS)
    if not name:
        raise CommandError("error.name_missing")
    if relationship is None:
        raise CommandError("error.relationship_missing")
    children = births(ctx)
    _within_cap(0, children)
    if phones.country_of(phone) != HOME_COUNTRY:
        raise CommandError("error.caregiver_abroad", phone=phone)
    known = find_caregiver(phone)
    if known is not None:
        return _already_registered(ctx, known)
    _refuse_other_roles(ctx, phone)
    outcome = register_household(
        village=ctx.village,
        name=name[:MAX_NAME],
        phone=phone,
        relationship=relationship,
        births=children,
        via=str(Channel.SMS),
        actor=ctx.actor,
        facilitator_id=ctx.facilitator.id,
        now=ctx.now,
    )
    _welcome_caregiver(ctx, outcome.caregiver, outcome.caregiver.phone)
    listed = ", ".join(format_birth(year, month) for year, month in children)
    return ctx.text("reply.register.ok", name=name, code=outcome.household.code, children=listed)


def _already_registered(ctx, caregiver):
    household = caregiver.household
    key = "reply.register.exists"
    if household.status == HouseholdStatus.PENDING:
        key = "reply.register.pending"  # registered by USSD, waiting for KONFIRMASI
    return ctx.text(
        key,
        phone=caregiver.phone,
        code=household.code,
        village=household.village.name,
    )


def _refuse_other_roles(ctx, phone):
    """A facilitator may also care for a child; a parent abroad or a teen may not be listed."""
    user = phone_user(phone)
    if user is not None and user[0] != "facilitator":
        refuse_if_used(ctx, phone)


def _welcome_caregiver(ctx, caregiver, phone):
    body = welcome_text("welcome.caregiver", caregiver.language, name=caregiver.name)
    ctx.send(
        phone,
        body,
        MessageKind.WELCOME,
        f"welcome:caregiver:{caregiver.id}:{phone}",
        language=caregiver.language,
        village_id=caregiver.household.village_id,
    )


def add_child(ctx):
    """ANAK code birth: one more child in a household of the village."""
    household = _active_household(ctx)
    unexpected_numbers(ctx, allowed=(Kind.CODE,))
    children = births(ctx)
    _within_cap(len(household.children), children)
    for year, month in children:
        add_child_row(household, year, month, actor=ctx.actor)
    listed = ", ".join(format_birth(year, month) for year, month in children)
    count = len(household.children)
    return ctx.text("reply.child.ok", children=listed, code=household.code, count=count)


def _within_cap(count, added):
    """One cap for SMS and USSD: a household lists at most MAX_CHILDREN children."""
    if count + len(added) > MAX_CHILDREN:
        raise CommandError(
            "error.too_many_children", max=MAX_CHILDREN, count=count, added=len(added)
        )


def _active_household(ctx):
    household = household_in_village(ctx)
    if household.status == HouseholdStatus.INACTIVE:
        raise CommandError("error.household_inactive", code=household.code)
    return household


COUNTRIES = {
    "hk": "HK",
    "hongkong": "HK",
    "hong": "HK",
    "kong": "HK",
    "my": "MY",
    "malaysia": "MY",
    "tw": "TW",
    "taiwan": "TW",
    "sa": "SA",
    "saudi": "SA",
    "arab": "SA",
    "ksa": "SA",
    "sg": "SG",
    "singapura": "SG",
    "singapore": "SG",
    "bn": "BN",
    "brunei": "BN",
    "kr": "KR",
    "korea": "KR",
    "jp": "JP",
    "jepang": "JP",
    "japan": "JP",
    "qa": "QA",
    "qatar": "QA",
    "ae": "AE",
    "uae": "AE",
    "dubai": "AE",
    "emirat": "AE",
    "kw": "KW",
    "kuwait": "KW",
    "om": "OM",
    "oman": "OM",
}


def link_migrant(ctx):
    """PMI code phone [country]: the parent abroad gets their own track."""
    household = _active_household(ctx)
    country = _country_typed(ctx)
    phone = _migrant_phone(ctx, household.code, country)
    country = country or phones.country_of(phone)
    existing = _migrant_on(phone)
    if existing is not None and existing.household_id == household.id:
        return ctx.text("reply.migrant.exists", phone=phone, code=household.code)
    refuse_if_used(ctx, phone)
    parent = _add_migrant(ctx, household, phone, country)
    body = welcome_text("welcome.migrant", parent.language, village=household.village.name)
    ctx.send(
        phone,
        body,
        MessageKind.WELCOME,
        f"welcome:migrant:{parent.id}",
        language=parent.language,
        village_id=household.village_id,
    )
    return ctx.text("reply.migrant.ok", phone=phone, country=country, code=household.code)


def _migrant_phone(ctx, code, country):
    """The number abroad; with a country named, local forms ("91234567" for HK) count too."""
    if country is None:
        return one_phone(ctx)
    ctx.parsed = grammar.parse(ctx.parsed.text, region=country)
    if ctx.parsed.of(Kind.PHONE):
        return one_phone(ctx)
    for token in ctx.parsed.tokens:
        if token.text != code and token.kind in (Kind.CODE, Kind.NUMBER, Kind.BAD_PHONE):
            number = phones.try_normalise(token.text, country)
            if number:
                return number
    return one_phone(ctx)


def _country_typed(ctx):
    """A destination country named in the words ("Hongkong", "HK", "Malaysia"), or None."""
    for word in ctx.parsed.words:
        country = COUNTRIES.get(word.lower())
        if country is not None:
            return country
    return None


def _migrant_on(phone):
    return db.session.scalar(select(MigrantParent).where(MigrantParent.phone == phone))


def _add_migrant(ctx, household, phone, country):
    language = household.caregivers[0].language if household.caregivers else None
    name_words = [w for w in ctx.parsed.words if w.lower() not in COUNTRIES]
    name_words = [w for w in name_words if w.lower() not in FILLER_WORDS]
    parent = MigrantParent(
        household=household,
        name=grammar.display_name(name_words)[:MAX_NAME] or None,
        phone=phone,
        country=country,
        language=language or household.village.language,
        created_at=ctx.now,
    )
    db.session.add(parent)
    db.session.flush()
    enroll(Track.MIGRANT, parent.id, now=ctx.now)
    audit.record(ctx.actor, "migrant.link", "household", household.id, phone=phone, country=country)
    return parent


def change_phone(ctx):
    """GANTI code new-phone [old-phone]: the caregiver keeps everything on a new number."""
    household = _active_household(ctx)
    caregiver, new = _caregiver_and_new_number(ctx, household)
    if caregiver.phone == new:
        return ctx.text("reply.change.same", phone=new, code=household.code)
    if phones.country_of(new) != HOME_COUNTRY:
        raise CommandError("error.caregiver_abroad", phone=new)
    refuse_if_used(ctx, new)
    old, caregiver.phone = caregiver.phone, new
    audit.record(ctx.actor, "caregiver.change_phone", "caregiver", caregiver.id, old=old, new=new)
    follow_caregiver(caregiver, old, new, actor=ctx.actor, now=ctx.now)
    _welcome_caregiver(ctx, caregiver, new)
    return ctx.text("reply.change.ok", code=household.code, old=old, new=new)


def _caregiver_and_new_number(ctx, household):
    """One number: the new one for the main caregiver; two: the household's is the old one."""
    typed = list(dict.fromkeys(ctx.parsed.values(Kind.PHONE)))
    if ctx.parsed.of(Kind.BAD_PHONE):
        raise CommandError("error.phone_invalid", phone=ctx.parsed.of(Kind.BAD_PHONE)[0].text)
    if not typed:
        raise CommandError("error.phone_missing")
    if len(typed) > 2:
        raise CommandError("error.phone_too_many")
    current = [c for c in household.caregivers if c.status != PersonStatus.INACTIVE]
    if not current:
        raise CommandError("error.household_inactive", code=household.code)
    if len(typed) == 1:
        return current[0], typed[0]
    by_phone = {c.phone: c for c in current}
    olds = [p for p in typed if p in by_phone]
    if len(olds) != 1:
        raise CommandError("error.phone_too_many")
    new = next(p for p in typed if p != olds[0])
    return by_phone[olds[0]], new


def remove(ctx):
    """HAPUS code: lessons and SMS stop for the whole household; its data is kept."""
    household = household_in_village(ctx)
    if household.status == HouseholdStatus.INACTIVE:
        return ctx.text("reply.remove.already", code=household.code)
    household.status, household.deactivated_at = HouseholdStatus.INACTIVE, ctx.now
    numbers = _stop_members(household)
    cancelled = cancel_to(numbers, "household removed", ctx.now)
    audit.record(
        ctx.actor, "household.remove", "household", household.id, cancelled_messages=cancelled
    )
    return ctx.text("reply.remove.ok", code=household.code)


def _stop_members(household):
    """Every member inactive and off their tracks; returns their numbers."""
    numbers = []
    for caregiver in household.caregivers:
        caregiver.status = PersonStatus.INACTIVE
        set_state_for(Track.CAREGIVER, caregiver.id, EnrollmentState.STOPPED)
        numbers.append(caregiver.phone)
    for parent in household.migrant_parents:
        parent.status = PersonStatus.INACTIVE
        set_state_for(Track.MIGRANT, parent.id, EnrollmentState.STOPPED)
        numbers.append(parent.phone)
    for child in household.children:
        set_state_for(Track.ADOLESCENT, child.id, EnrollmentState.STOPPED)
        if child.phone:
            numbers.append(child.phone)
    return numbers


def confirm(ctx):
    """KONFIRMASI code: a household that registered itself by USSD starts its lessons."""
    household = household_in_village(ctx)
    if household.status != HouseholdStatus.PENDING:
        status = ctx.text(f"status.{household.status}")
        return ctx.text("reply.confirm.not_pending", code=household.code, status=status)
    household.status = HouseholdStatus.ACTIVE
    household.registered_by_id = household.registered_by_id or ctx.facilitator.id
    for caregiver in household.caregivers:
        set_state_for(Track.CAREGIVER, caregiver.id, EnrollmentState.ACTIVE)
        _welcome_caregiver(ctx, caregiver, caregiver.phone)
    audit.record(ctx.actor, "household.confirm", "household", household.id, code=household.code)
    name = household.caregivers[0].name if household.caregivers else "-"
    return ctx.text("reply.confirm.ok", code=household.code, name=name)


def info(ctx):
    """INFO code: who is in the household and where its lessons are."""
    household = household_in_village(ctx)
    caregiver = household.caregivers[0] if household.caregivers else None
    return ctx.text(
        "reply.info",
        code=household.code,
        village=household.village.name,
        status=ctx.text(f"status.{household.status}"),
        caregiver=_describe_caregiver(ctx, caregiver),
        children=", ".join(format_birth(c.birth_year, c.birth_month) for c in household.children)
        or "-",
        migrants=", ".join(f"{p.phone} ({p.country})" for p in household.migrant_parents) or "-",
        lessons=_lessons_sent(caregiver),
    )


def _describe_caregiver(ctx, caregiver):
    if caregiver is None:
        return "-"
    relationship = ctx.text(f"relationship.{caregiver.relationship}")
    return f"{caregiver.name} ({relationship}, {caregiver.phone})"


def _lessons_sent(caregiver):
    if caregiver is None:
        return 0
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.track == Track.CAREGIVER, Enrollment.caregiver_id == caregiver.id
        )
    )
    return lessons_received(enrollment.id) if enrollment else 0
