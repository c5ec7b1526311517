"""`asuh export`: villages, facilitators, households or messages as CSV or JSON."""

import csv
import io
import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.models import Facilitator, Household, OutboxMessage, Village, db


def iso(value):
    """ISO 8601 text for a timestamp, or None."""
    return value.isoformat() if value else None


def village_rows():
    for v in db.session.scalars(select(Village).order_by(Village.name)):
        yield {
            "name": v.name,
            "district": v.district,
            "province": v.province,
            "timezone": v.timezone,
            "language": v.language,
        }


def facilitator_rows():
    query = select(Facilitator).options(selectinload(Facilitator.village)).order_by(Facilitator.id)
    for f in db.session.scalars(query):
        yield {
            "name": f.name,
            "phone": f.phone,
            "village": f.village.name,
            "language": f.language,
            "active": f.active,
        }


def household_rows():
    query = (
        select(Household)
        .order_by(Household.id)
        .options(
            selectinload(Household.village),
            selectinload(Household.caregivers),
            selectinload(Household.children),
            selectinload(Household.migrant_parents),
        )
    )
    for h in db.session.scalars(query):
        yield {
            "code": h.code,
            "village": h.village.name,
            "status": h.status,
            "created_at": iso(h.created_at),
            "caregivers": [
                {
                    "name": c.name,
                    "phone": c.phone,
                    "relationship": c.relationship,
                    "language": c.language,
                    "status": c.status,
                }
                for c in h.caregivers
            ],
            "children": [
                {"birth_year": c.birth_year, "birth_month": c.birth_month} for c in h.children
            ],
            "migrant_parents": [
                {"phone": m.phone, "country": m.country} for m in h.migrant_parents
            ],
        }


def message_rows():
    query = select(OutboxMessage).order_by(OutboxMessage.id).execution_options(yield_per=1000)
    for m in db.session.scalars(query):
        yield {
            "to": m.to_phone,
            "body": m.body,
            "kind": m.kind,
            "status": m.status,
            "provider_id": m.provider_id,
            "segments": m.segments,
            "cost": m.cost,
            "failure_reason": m.failure_reason,
            "created_at": iso(m.created_at),
            "sent_at": iso(m.sent_at),
        }


FIELDS = {
    "villages": ["name", "district", "province", "timezone", "language"],
    "facilitators": ["name", "phone", "village", "language", "active"],
    "households": [
        "code",
        "village",
        "status",
        "created_at",
        "caregivers",
        "children",
        "migrant_parents",
    ],
    "messages": [
        "to",
        "body",
        "kind",
        "status",
        "provider_id",
        "segments",
        "cost",
        "failure_reason",
        "created_at",
        "sent_at",
    ],
}
TABLES = {
    "villages": village_rows,
    "facilitators": facilitator_rows,
    "households": household_rows,
    "messages": message_rows,
}


def flatten(value):
    """Nested lists become compact JSON inside one CSV cell."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def to_csv(fields, rows):
    """CSV text with a header, even when there are no rows."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: flatten(value) for key, value in row.items()})
    return out.getvalue()


@click.command("export")
@with_appcontext
@click.argument("table", type=click.Choice(list(TABLES)))
@click.option(
    "--format", "fmt", default="csv", show_default=True, type=click.Choice(["csv", "json"])
)
def export(table, fmt):
    """Write one table to stdout; JSON is a list of objects."""
    rows = TABLES[table]()
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=1))
    else:
        click.echo(to_csv(FIELDS[table], rows), nl=False)
