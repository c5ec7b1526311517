"""`asuh seed-demo`: villages, facilitators and households to try everything on a laptop."""

import random

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from service import codes
from service.demo import DEMO_FACILITATORS as FACILITATORS
from service.households import register_household
from service.models import (
    AdminUser,
    Caregiver,
    Child,
    Enrollment,
    Facilitator,
    Household,
    MigrantParent,
    Village,
    db,
    utcnow,
)
from service.passwords import hash_password
from service.states import AdminRole, EnrollmentState, Track

DEMO_LOGIN = ("demo", "asuh-demo-2026")

VILLAGES = (
    # name, district, province, zone, language
    ("Kanigoro", "Blitar", "Jawa Timur", "Asia/Jakarta", "id"),
    ("Sakra", "Lombok Timur", "Nusa Tenggara Barat", "Asia/Makassar", "id"),
    ("Oelnasi", "Kupang", "Nusa Tenggara Timur", "Asia/Makassar", "id"),
)
HOUSEHOLDS = (
    # caregiver name, phone, relationship, village, births, migrant abroad (phone, country)
    (
        "Mbah Sumini",
        "+6281200000011",
        "grandmother",
        "Kanigoro",
        [(2016, 4), (2019, 11)],
        ("+85291234567", "HK"),
    ),
    ("Pak Darto", "+6281200000012", "grandfather", "Kanigoro", [(2012, None)], None),
    ("Bu Yati", "+6281200000013", "aunt", "Kanigoro", [(2021, 2)], ("+60123456789", "MY")),
    (
        "Inaq Rohani",
        "+6281200000021",
        "grandmother",
        "Sakra",
        [(2014, 7), (2018, 1)],
        ("+966501234567", "SA"),
    ),
    ("Amaq Juhdi", "+6281200000022", "father", "Sakra", [(2010, 5)], ("+886912345678", "TW")),
    ("Mama Yohana", "+6281200000031", "mother", "Oelnasi", [(2017, 9)], ("+85261234567", "HK")),
)
GENERATED_PHONE_BASE = 6285000000000  # +6285000000000 and up: valid-looking, unused
FIRST_NAMES = (
    "Sri",
    "Siti",
    "Wati",
    "Yuni",
    "Ani",
    "Sumi",
    "Darmi",
    "Parti",
    "Rohani",
    "Jumiati",
    "Darto",
    "Slamet",
    "Budi",
    "Joko",
    "Yanto",
)


def villages_by_name():
    """Create the demo villages (once) and return them by name."""
    found = {}
    for name, district, province, zone, language in VILLAGES:
        row = db.session.scalar(select(Village).where(Village.name == name))
        if row is None:
            row = Village(
                name=name, district=district, province=province, timezone=zone, language=language
            )
            db.session.add(row)
        found[name] = row
    db.session.flush()
    return found


def seed_people(villages):
    """Facilitators and the named demo households, each once."""
    from service.enrollments import enroll

    for phone, name, village, language in FACILITATORS:
        if db.session.scalar(select(Facilitator).where(Facilitator.phone == phone)) is None:
            row = Facilitator(phone=phone, name=name, village=villages[village], language=language)
            db.session.add(row)
            db.session.flush()
            enroll(Track.FACILITATOR, row.id)
    for name, phone, relationship, village, births, migrant in HOUSEHOLDS:
        outcome = register_household(
            village=villages[village],
            name=name,
            phone=phone,
            relationship=relationship,
            births=births,
            via="seed",
            actor="seed",
        )
        if outcome.created and migrant:
            parent = MigrantParent(
                household=outcome.household, phone=migrant[0], country=migrant[1], language="id"
            )
            db.session.add(parent)
            db.session.flush()
            enroll(Track.MIGRANT, parent.id)


def build_batch(first, last, used, places, now, rng):
    """Households numbered first..last-1, each with a caregiver and a child (not yet added)."""
    batch = []
    for n in range(first, last):
        code = codes.generate(lambda c: c in used)
        used.add(code)
        place = rng.choice(places)
        household = Household(code=code, village=place, registered_via="seed", created_at=now)
        carer = Caregiver(
            household=household,
            name=f"Ibu {rng.choice(FIRST_NAMES)} {n}",
            phone=f"+{GENERATED_PHONE_BASE + n}",
            relationship="grandmother",
            language=place.language,
            consent_at=now,
        )
        child = Child(
            household=household, birth_year=rng.randint(2009, 2024), birth_month=rng.randint(1, 12)
        )
        batch += [household, carer, child]
    return batch


def seed_generated(villages, count, rng):
    """`count` extra households with a caregiver, a child and an enrollment each, in bulk."""
    used = set(db.session.scalars(select(Household.code)))
    first = db.session.scalar(select(db.func.count(Caregiver.id)))
    now, places = utcnow(), list(villages.values())
    for start in range(first, first + count, 1000):
        with db.session.no_autoflush:
            batch = build_batch(start, min(first + count, start + 1000), used, places, now, rng)
        db.session.add_all(batch)
        db.session.flush()
        db.session.add_all(
            Enrollment(
                track=Track.CAREGIVER,
                caregiver_id=row.id,
                state=EnrollmentState.ACTIVE,
                next_due_at=now,
            )
            for row in batch
            if isinstance(row, Caregiver)
        )
        db.session.commit()


def seed_demo_login():
    """The demo dashboard account `make run` prints."""
    username, password = DEMO_LOGIN
    if db.session.scalar(select(AdminUser).where(AdminUser.username == username)) is None:
        db.session.add(
            AdminUser(
                username=username, password_hash=hash_password(password), role=AdminRole.ADMIN
            )
        )


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--households",
    "extra",
    default=0,
    show_default=True,
    type=click.IntRange(0, 200_000),
    help="extra generated households for load tests",
)
@click.option("--seed", "rng_seed", default=2026, show_default=True, hidden=True)
def seed_demo(extra, rng_seed):
    """Demo villages, facilitators, households and a demo login; safe to run twice."""
    villages = villages_by_name()
    seed_people(villages)
    seed_demo_login()
    db.session.commit()
    if extra:
        seed_generated(villages, extra, random.Random(rng_seed))
    total = db.session.scalar(select(db.func.count(Household.id)))
    click.echo(
        f"demo data ready: {len(villages)} villages, {total} households; "
        f"dashboard login {DEMO_LOGIN[0]} / {DEMO_LOGIN[1]}"
    )
