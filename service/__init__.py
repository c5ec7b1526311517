"""Asuh: the Flask app factory; nothing is built at import time."""

import logging

from flask import Flask

from service import config


def create_app(test_config=None):
    """Build an app from the environment, overridden by `test_config` in tests."""
    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR), instance_relative_config=True)
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)
    config.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("asuh").setLevel(logging.INFO)
    _init_extensions(app)
    _register_blueprints(app)
    from service.cli import register_commands

    register_commands(app)
    return app


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
    from service import outbox

    outbox.init_app(app)


def _register_blueprints(app):
    from service.web import register_blueprints

    register_blueprints(app)


def render_migration_item(type_, obj, autogen_context):
    """Migrations store UTCDateTime as a plain DateTime; the conversion lives in Python."""
    from service.models import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
