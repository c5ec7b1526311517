"""`asuh dispatch [--now ISO8601]`: one scheduling tick, run here and now."""

import click
from flask.cli import with_appcontext

from workers.tick import as_instant, tick

PARTS = ("lessons", "reminders", "notices", "summaries")


def _instant(ctx, param, value):
    try:
        return as_instant(value) if value else None
    except ValueError as error:
        raise click.BadParameter(f"not an ISO 8601 instant: {value}") from error


@click.command("dispatch")
@with_appcontext
@click.option(
    "--now",
    callback=_instant,
    help="the instant to dispatch as of, e.g. 2026-03-02T08:00:00+07:00 (default: the clock)",
)
def dispatch(now):
    """Write every lesson, reminder and summary due now; the worker sends them."""
    counts = tick(now)
    click.echo(", ".join(f"{counts.get(part, 0)} {part}" for part in PARTS) + " queued")
