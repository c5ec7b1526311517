"""The `asuh` commands; the app factory attaches them to `app.cli` (`service.main` runs them)."""

from service.cli.admin import admin
from service.cli.content import content
from service.cli.export import export
from service.cli.places import facilitator, village
from service.cli.seed import seed_demo
from service.cli.tick import dispatch
from service.cli.ussd import ussd
from service.cli.worker import worker

COMMANDS = (village, facilitator, seed_demo, export, worker, admin, content, dispatch, ussd)


def register_commands(app):
    """Attach every command to `app.cli`; Flask-Migrate adds `db` itself."""
    for command in COMMANDS:
        app.cli.add_command(command)
