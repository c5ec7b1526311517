"""The `asuh` command: Flask's CLI group with the project's commands attached."""

import importlib

from flask.cli import FlaskGroup

# module path -> attribute holding the command or group; a module not written yet is skipped
COMMANDS = (
    ("service.cli.places", "village"),
    ("service.cli.places", "facilitator"),
    ("service.cli.seed", "seed_demo"),
    ("service.cli.export", "export"),
    ("service.cli.worker", "worker"),
    ("service.cli.admin", "admin"),
    ("service.cli.content", "content"),
    ("service.cli.dispatch", "dispatch"),
    ("service.cli.ussd", "ussd"),
)


def register_commands(app):
    """Attach every available command to `app.cli`; Flask-Migrate adds `db` itself."""
    for module_path, attribute in COMMANDS:
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError as error:
            if error.name != module_path:
                raise
            continue
        app.cli.add_command(getattr(module, attribute))


def main():
    """Console-script entry point: Flask's group around the app's commands."""
    from service import create_app

    cli = FlaskGroup(create_app=lambda: create_app(), help="Asuh: SMS/USSD community parenting.")
    cli(prog_name="asuh")
