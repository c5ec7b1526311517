"""`asuh ussd PHONE`: dial the USSD menu from a terminal, through the same engine as /ussd."""

import sys
import uuid

import click
from flask.cli import with_appcontext

from menus.engine import respond
from service.phones import try_normalise
from workers.gateway.africastalking import USSD_SCREEN_CHARS


@click.command("ussd")
@click.argument("phone")
@click.option("--session-id", default=None, help="reuse a session id (default: a fresh one)")
@with_appcontext
def ussd(phone, session_id):
    """Dial as PHONE; type a key and Enter for each screen, until the menu ends (or EOF)."""
    if try_normalise(phone) is None:
        raise click.BadParameter(f"{phone!r} is not a phone number", param_hint="PHONE")
    session_id = session_id or f"cli-{uuid.uuid4().hex[:16]}"
    stdin = sys.stdin
    keys = []
    while True:
        reply = respond(session_id, phone, "*".join(keys), screen_chars=USSD_SCREEN_CHARS)
        click.echo(reply.text)
        if reply.ended:
            return
        click.echo("> ", nl=False)
        line = stdin.readline()
        if not line:
            click.echo()
            return
        keys.append(line.strip())
