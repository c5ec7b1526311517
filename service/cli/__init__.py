"""The `asuh` commands; the app factory attaches them to `app.cli` (`service.main` runs them)."""

import click
from flask.cli import FlaskGroup

from service.cli.admin import admin
from service.cli.content import content
from service.cli.export import export
from service.cli.household import household
from service.cli.places import facilitator, village
from service.cli.seed import seed_demo
from service.cli.tick import dispatch
from service.cli.ussd import ussd
from service.cli.worker import worker

COMMANDS = (
    village,
    facilitator,
    seed_demo,
    export,
    worker,
    admin,
    content,
    dispatch,
    ussd,
    household,
)
FIRST = ("db", "seed-demo", "village", "facilitator", "admin")  # the order a new install needs
FLASK_COMMANDS = frozenset({"run", "shell", "routes"})  # Flask's own, listed after Asuh's
HELP = """Asuh: SMS/USSD community parenting for the home villages of migrant workers.

Run it from the project folder as .venv/bin/asuh (or `source .venv/bin/activate` first).
Settings come from the environment: ASUH_ENV, DATABASE_URL, REDIS_URL, SECRET_KEY,
WEBHOOK_TOKEN, SMS_GATEWAY, ... (see README.md)."""


def register_commands(app):
    """Attach every command to `app.cli`; Flask-Migrate adds `db` itself."""
    for command in COMMANDS:
        app.cli.add_command(command)


class AsuhGroup(FlaskGroup):
    """Flask's group, with Asuh's commands listed first and Flask's run/shell/routes after."""

    def format_commands(self, ctx, formatter):
        names = self.list_commands(ctx)
        own = [n for n in names if n not in FLASK_COMMANDS]
        own.sort(key=lambda name: (FIRST.index(name) if name in FIRST else len(FIRST), name))
        flask = [n for n in names if n in FLASK_COMMANDS]
        for title, group in (("Asuh commands", own), ("Flask commands (development)", flask)):
            rows = self._rows(ctx, group, formatter.width)
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def _rows(self, ctx, names, width):
        commands = ((name, self.get_command(ctx, name)) for name in names)
        limit = max(width - 6 - max((len(name) for name in names), default=0), 20)
        return [(n, c.get_short_help_str(limit)) for n, c in commands if c and not c.hidden]


def command_group(create_app):
    """The `asuh` group: Asuh's help text, its version, no --app (the app is always Asuh's)."""
    group = AsuhGroup(create_app=create_app, help=HELP, add_version_option=False)
    group.params = [p for p in group.params if p.name != "app"]
    return click.version_option(package_name="asuh", prog_name="asuh")(group)
