"""`asuh village add` and `asuh facilitator add`."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask.cli import AppGroup
from sqlalchemy import select

from messages.coverage import states
from service import audit
from service.enrollments import enroll
from service.languages import registry
from service.models import Facilitator, Village, db
from service.names import BadName, clean_name
from service.owners import household_member
from service.phones import InvalidPhone, normalise
from service.review import DRAFT
from service.states import Track

village = AppGroup("village", help="Manage villages.")
facilitator = AppGroup("facilitator", help="Manage village facilitators.")


def valid_timezone(ctx, param, value):
    """Reject a zone name the tz database does not know, before anything is stored."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise click.BadParameter(f"unknown time zone {value!r}; e.g. Asia/Makassar") from error
    return value


def valid_name(what):
    """A click callback: the name tidied (trimmed, no control characters) or a clear refusal."""

    def check(ctx, param, value):
        try:
            return clean_name(value, what)
        except BadName as error:
            raise click.BadParameter(str(error)) from error

    return check


def known_language(ctx, param, value):
    """A code of the language registry (or nothing, where the option may be left out)."""
    if value is not None and value not in registry():
        codes = ", ".join(registry().codes())
        raise click.BadParameter(f"unknown language {value!r}; use one of {codes}")
    return value


def find_village(name):
    """A village by name, case-insensitively, ignoring outer and doubled spaces."""
    wanted = " ".join(name.split())
    same = db.or_(Village.name == wanted, db.func.lower(Village.name) == wanted.lower())
    return db.session.scalar(select(Village).where(same).limit(1))


@village.command("add")
@click.option("--name", required=True, callback=valid_name("village name"))
@click.option("--district", required=True, callback=valid_name("district"))
@click.option("--province", required=True, callback=valid_name("province"))
@click.option("--timezone", default="Asia/Jakarta", show_default=True, callback=valid_timezone)
@click.option("--language", default="id", show_default=True, callback=known_language)
@click.option(
    "--confirm-draft",
    is_flag=True,
    help="Use a language whose translation no native speaker has reviewed yet.",
)
def village_add(name, district, province, timezone, language, confirm_draft):
    """Add a village with its time zone and default language."""
    existing = find_village(name)
    if existing:
        raise click.ClickException(f"village {existing.name!r} exists already")
    if states().get(language) == DRAFT and not confirm_draft:
        raise click.ClickException(
            f"{language} is a draft translation (not reviewed by a native speaker); "
            "add --confirm-draft to use it in this village"
        )
    row = Village(
        name=name, district=district, province=province, timezone=timezone, language=language
    )
    db.session.add(row)
    db.session.flush()
    audit.record("cli", "village.add", "village", row.id, name=row.name)
    db.session.commit()
    click.echo(f"village {row.name} added (id {row.id}, {timezone}, {language})")


def refuse_household_number(e164, force):
    """A household member's SMS would be read as facilitator commands: say so unless forced."""
    member = household_member(e164)
    if member and not force:
        raise click.ClickException(
            f"{e164} is the number of the {member}. As a facilitator, every SMS from it would be "
            "read as a facilitator command and that person would stop being served as a "
            "household member. Use another number, or add --force if this is really intended."
        )
    return member


@facilitator.command("add")
@click.option("--phone", required=True)
@click.option("--name", required=True, callback=valid_name("name"))
@click.option("--village", "village_name", required=True, help="an existing village's name")
@click.option("--language", default=None, callback=known_language)
@click.option("--force", is_flag=True, help="add even if a household member uses this number")
def facilitator_add(phone, name, village_name, language, force):
    """Add a facilitator for a village and enrol them in the facilitator guides."""
    try:
        e164 = normalise(phone)
    except InvalidPhone as error:
        raise click.BadParameter(
            f"{phone!r} is not a phone number", param_hint="--phone"
        ) from error
    place = find_village(village_name)
    if place is None:
        raise click.BadParameter(f"no village named {village_name!r}", param_hint="--village")
    if db.session.scalar(select(Facilitator).where(Facilitator.phone == e164)):
        raise click.ClickException(f"{e164} is a facilitator already")
    member = refuse_household_number(e164, force)
    row = Facilitator(phone=e164, name=name, village=place, language=language or place.language)
    db.session.add(row)
    db.session.flush()
    enroll(Track.FACILITATOR, row.id)
    extra = {"also_household_member": member} if member else {}
    audit.record(
        "cli", "facilitator.add", "facilitator", row.id, phone=e164, village=place.name, **extra
    )
    db.session.commit()
    click.echo(f"facilitator {row.name} ({e164}) added to {place.name}")
