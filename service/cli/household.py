"""`asuh household erase CODE` and `asuh household export CODE`: a household's personal data
erased (asks first; --yes skips) or given back in full as JSON (Law 27/2022)."""

import json

import click
from flask.cli import with_appcontext

from service.erasure import erase_household
from service.household_data import household_data
from service.households import household_by_code
from service.models import db


@click.group("household")
def household():
    """A household's personal data: erase it, or export everything held about it."""


def _find(code):
    found = household_by_code(code.strip())
    if found is None:
        raise click.ClickException(f"no household with code {code!r}")
    return found


@household.command("erase")
@with_appcontext
@click.argument("code")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def erase(code, yes):
    """Erase names, numbers, birth dates and message texts; anonymous counts stay."""
    home = _find(code)
    if home.erased_at is not None:
        click.echo(f"household {home.code} was already erased on {home.erased_at:%Y-%m-%d}")
        return
    if not yes:
        click.confirm(
            f"Erase the personal data of household {home.code} ({home.village.name})? "
            "This cannot be undone",
            abort=True,
        )
    counts = erase_household(home, actor="cli")
    db.session.commit()
    click.echo(
        f"household {home.code} erased: {counts.people} people, {counts.children} children, "
        f"{counts.messages_out} SMS sent, {counts.messages_in} SMS received, "
        f"{counts.audit_entries} audit entries"
    )


@household.command("export")
@with_appcontext
@click.argument("code")
def export(code):
    """Everything held about one household, as JSON."""
    click.echo(json.dumps(household_data(_find(code)), ensure_ascii=False, indent=2))
