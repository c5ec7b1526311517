"""Shared fixtures: a private Redis, a migrated database, the app, its client and factories.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names PostgreSQL
(CI runs the suite both ways). Tables are emptied after each test.
"""

import os

import pytest
from pytest_redis import factories
from rq import SimpleWorker
from sqlalchemy import text

from service import create_app
from service.models import db
from tests.factories import Factory
from workers import gateway
from workers.queues import ALL, worker_connection

pytest_plugins = [
    "tests.fixtures.ussd",
    "tests.fixtures.sms",
    "tests.fixtures.schedule",
    "tests.fixtures.dashboard",
    "tests.fixtures.kannel",
]

if os.environ.get("ASUH_TEST_NOW"):
    pytest_plugins.append("tests.clock")

redis_server = factories.redis_proc(port=None)
TOKEN = "test-token"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """PostgreSQL when TEST_DATABASE_URL is set, else a fresh SQLite file; migrated once."""
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'asuh-test.db'}"
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": _psycopg(url), "TESTING": True})
    with app.app_context():
        _reset_schema()
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return _psycopg(url)


def _psycopg(url):
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _reset_schema():
    """Start from nothing, so the migrations themselves are what is tested."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture
def redis_url(redis_server):
    """A URL to the private test Redis, emptied before each test."""
    url = f"redis://{redis_server.host}:{redis_server.port}/0"
    worker_connection(url).flushall()
    return url


@pytest.fixture
def app_config(database_url, redis_url):
    """Settings the test app is built with; a test may override by depending on it and editing."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        "WEBHOOK_TOKEN": TOKEN,
        "SECRET_KEY": "test-secret",
        "SMS_GATEWAY": "console",
        "USSD_SERVICE_CODE": "*384*123#",
        "SERVER_NAME": None,
    }


@pytest.fixture
def app(app_config):
    """The app with an app context pushed for the whole test; tables emptied afterwards."""
    app = create_app(app_config)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()
    gateway.set_gateway(None)


def _empty_tables():
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs `asuh` commands against the test app (use `runner.invoke(args=[...])`)."""
    return app.test_cli_runner()


@pytest.fixture
def run_jobs(app, redis_url):
    """Run every queued RQ job in this process (a real SimpleWorker in burst mode)."""

    def run(max_rounds=10):
        connection = worker_connection(redis_url)
        for _ in range(max_rounds):
            worker = SimpleWorker(list(ALL), connection=connection)
            if not worker.work(burst=True):
                return

    return run


@pytest.fixture
def factory(app):
    """Builders for villages, facilitators and households (see tests/factories.py)."""
    return Factory()


@pytest.fixture
def fake_at(app):
    """A local fake Africa's Talking API, with the app configured to send through it."""
    from tests.fake_at import FakeAfricasTalking

    server = FakeAfricasTalking().start()
    app.config.update(
        SMS_GATEWAY="africastalking",
        AT_BASE_URL=server.url,
        AT_USERNAME="asuh-test",
        AT_API_KEY="test-key",
        AT_SENDER_ID="ASUH",
    )
    yield server
    server.stop()
