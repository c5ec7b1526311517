"""The `asuh` command: Flask's CLI group with the project's commands attached."""

from flask.cli import FlaskGroup

from service.cli.admin import admin
from service.cli.content import content
from service.cli.dispatch import dispatch
from service.cli.export import export
from service.cli.places import facilitator, village
from service.cli.seed import seed_demo
from service.cli.ussd import ussd
from service.cli.worker import worker

COMMANDS = (village, facilitator, seed_demo, export, worker, admin, content, dispatch, ussd)


def register_commands(app):
    """Attach every command to `app.cli`; Flask-Migrate adds `db` itself."""
    for command in COMMANDS:
        app.cli.add_command(command)


def main():
    """Console-script entry point: Flask's group around the app's commands."""
    from service import create_app

    cli = FlaskGroup(create_app=lambda: create_app(), help="Asuh: SMS/USSD community parenting.")
    cli(prog_name="asuh")
