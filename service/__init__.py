"""Asuh: the Flask app factory and the `asuh` command; nothing is built at import time.

This is the top of the layers (see CONTRIBUTING.md): the one module that wires the edges
(web, CLI) to the workers and hands the domain what it must not import itself.
"""

import logging
import sys

from flask import Flask

from service import config


def create_app(test_config=None):
    """Build an app from the environment, overridden by `test_config` in tests."""
    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR), instance_relative_config=True)
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)
    derived = config.derived_settings(app.config)
    app.config.update({k: v for k, v in derived.items() if k not in (test_config or {})})
    config.refuse_unsafe(app.config)
    config.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    _init_logging()
    _init_extensions(app)
    _trust_proxies(app)
    _register_blueprints(app)
    from service.cli import register_commands

    register_commands(app)
    return app


def main():
    """Console-script entry point: Flask's CLI group around the app's commands."""
    from service.cli import command_group
    from workers.context import set_app_factory

    set_app_factory(create_app)  # jobs run outside a request build their app with it
    command_group(create_app=_app_or_exit)(prog_name="asuh", args=sys.argv[1:])


def _app_or_exit():
    """The app, or a plain message and exit status 1 when production settings are unsafe."""
    try:
        return create_app()
    except config.UnsafeSettings as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from None


def _init_logging():
    """Logs of every library go through one filter that masks phone numbers and tokens."""
    from service import privacy

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("asuh").setLevel(logging.INFO)
    privacy.mask_logs()


def _trust_proxies(app):
    """Behind TRUSTED_PROXIES reverse proxies, take the caller's address and scheme from their
    X-Forwarded-* headers, so the login throttle counts callers, not the proxy."""
    count = app.config.get("TRUSTED_PROXIES", 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _init_extensions(app):
    from flask_migrate import Migrate

    from service import languages, redis_client
    from service.models import db

    languages.init_app(app)
    db.init_app(app)
    Migrate(
        app,
        db,
        directory=str(config.ROOT / "migrations"),
        render_as_batch=True,
        render_item=render_migration_item,
    )
    redis_client.init_app(app)
    _init_outbox(app)


def _init_outbox(app):
    """The outbox kicks the sender after each commit and counts SMS parts the messages way."""
    from messages.gsm import segment_info
    from service import outbox
    from workers.send import enqueue_send

    outbox.init_app(app, kick=enqueue_send, segments=lambda body: segment_info(body).segments)


def _register_blueprints(app):
    from service.web import register_blueprints

    register_blueprints(app)


def render_migration_item(type_, obj, autogen_context):
    """Migrations store UTCDateTime as a plain DateTime; the conversion lives in Python."""
    from service.models import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
