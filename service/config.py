"""Every setting read from the environment in one place, with named defaults."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"

DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'asuh.db'}"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_SECRET_KEY = "dev-only-change-me"
DEFAULT_WEBHOOK_TOKEN = "dev-token"
DEFAULT_SMS_GATEWAY = "console"
DEFAULT_AT_BASE_URL = "https://api.africastalking.com"
DEFAULT_USSD_SERVICE_CODE = "*384*123#"
DEFAULT_LANGUAGE = "id"
DEFAULT_DASHBOARD_LANGUAGE = "id"  # a new dashboard account reads Indonesian
DEFAULT_PORT = 8000
DEFAULT_SMS_MAX_PER_SECOND = 50
DEFAULT_USSD_SESSION_TTL = 300
DEFAULT_SAFEGUARDING_WORDS = (
    "kekerasan,dipukul,pukul,pelecehan,dilecehkan,diperkosa,perkosa,disiksa,siksa,"
    "dianiaya,aniaya,abuse,abused,violence,beaten,raped,molested"
)
DEFAULT_QUIET_HOURS = "20:00-07:00"
DEFAULT_LESSONS_PER_WEEK = 2
DEFAULT_CHILD_HOTLINE = "SAPA 129"
DEFAULT_INBOUND_PROCESSING = "on"  # "off": store inbound SMS only (the bench baseline)
DEFAULT_TRACK_LESSONS_PER_WEEK = "caregiver=2,migrant=1,adolescent=1,facilitator=1"
DEFAULT_TIME_OF_DAY_CLOCK = "morning=08:00,midday=12:00,evening=18:00"  # local times
DEFAULT_LESSON_WINDOW_MINUTES = 180  # a lesson goes within this long after its slot, or waits
DEFAULT_SEND_CLAIM_SECONDS = 300  # a crashed sender's rows become sendable again after this
DEFAULT_SEND_RETRY_SECONDS = 30  # first retry after a gateway error; doubles each time
DEFAULT_KANNEL_SENDSMS_URL = "http://127.0.0.1:13013/cgi-bin/sendsms"
DEFAULT_KANNEL_CONCURRENCY = 8  # sendsms requests in flight at once per worker
DEFAULT_KANNEL_TIMEOUT = 10.0  # seconds to wait for Kannel's answer before retrying later
DEFAULT_INBOUND_MAX_TEXT = 1600  # characters of an inbound SMS kept; the rest is cut (10 parts)


def _env(name, default):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def _pairs(text, cast):
    """Read "caregiver=2,migrant=1" as {"caregiver": 2, "migrant": 1}; blanks are skipped."""
    pairs = (item.split("=", 1) for item in text.split(",") if "=" in item)
    return {name.strip(): cast(value.strip()) for name, value in pairs if name.strip()}


def _normalise_db_url(url):
    """Let operators paste a Heroku-style postgres:// URL and still get psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _local_url():
    """Where this machine's web process answers: a gateway on the same host reaches it here."""
    return f"http://127.0.0.1:{_env('PORT', DEFAULT_PORT)}"


def from_environment():
    """The app's settings as a dict, taken from the environment at call time."""
    return {
        "SQLALCHEMY_DATABASE_URI": _normalise_db_url(_env("DATABASE_URL", DEFAULT_DATABASE_URL)),
        "REDIS_URL": _env("REDIS_URL", DEFAULT_REDIS_URL),
        "SECRET_KEY": _env("SECRET_KEY", DEFAULT_SECRET_KEY),
        "WEBHOOK_TOKEN": _env("WEBHOOK_TOKEN", DEFAULT_WEBHOOK_TOKEN),
        "SMS_GATEWAY": _env("SMS_GATEWAY", DEFAULT_SMS_GATEWAY),
        "PUBLIC_BASE_URL": _env("PUBLIC_BASE_URL", _local_url()).rstrip("/"),
        "KANNEL_SENDSMS_URL": _env("KANNEL_SENDSMS_URL", DEFAULT_KANNEL_SENDSMS_URL),
        "KANNEL_USERNAME": _env("KANNEL_USERNAME", ""),
        "KANNEL_PASSWORD": _env("KANNEL_PASSWORD", ""),
        "KANNEL_SENDER": _env("KANNEL_SENDER", ""),
        "KANNEL_SMSC": _env("KANNEL_SMSC", ""),
        "KANNEL_CONCURRENCY": int(_env("KANNEL_CONCURRENCY", DEFAULT_KANNEL_CONCURRENCY)),
        "KANNEL_TIMEOUT": float(_env("KANNEL_TIMEOUT", DEFAULT_KANNEL_TIMEOUT)),
        "INBOUND_MAX_TEXT": int(_env("INBOUND_MAX_TEXT", DEFAULT_INBOUND_MAX_TEXT)),
        "AT_USERNAME": _env("AT_USERNAME", "sandbox"),
        "AT_API_KEY": _env("AT_API_KEY", ""),
        "AT_SENDER_ID": _env("AT_SENDER_ID", ""),
        "AT_BASE_URL": _env("AT_BASE_URL", DEFAULT_AT_BASE_URL).rstrip("/"),
        "USSD_SERVICE_CODE": _env("USSD_SERVICE_CODE", DEFAULT_USSD_SERVICE_CODE),
        "DEFAULT_LANGUAGE": _env("DEFAULT_LANGUAGE", DEFAULT_LANGUAGE),
        "DASHBOARD_LANGUAGE": _env("DASHBOARD_LANGUAGE", DEFAULT_DASHBOARD_LANGUAGE),
        "LANGUAGE_DIRS": _env("LANGUAGE_DIRS", ""),  # extra language folders, os.pathsep-joined
        "PORT": int(_env("PORT", DEFAULT_PORT)),
        "SMS_MAX_PER_SECOND": float(_env("SMS_MAX_PER_SECOND", DEFAULT_SMS_MAX_PER_SECOND)),
        "USSD_SESSION_TTL": int(_env("USSD_SESSION_TTL", DEFAULT_USSD_SESSION_TTL)),
        "SAFEGUARDING_WORDS": _env("SAFEGUARDING_WORDS", DEFAULT_SAFEGUARDING_WORDS),
        "QUIET_HOURS": _env("QUIET_HOURS", DEFAULT_QUIET_HOURS),
        "LESSONS_PER_WEEK": int(_env("LESSONS_PER_WEEK", DEFAULT_LESSONS_PER_WEEK)),
        "CHILD_HOTLINE": _env("CHILD_HOTLINE", DEFAULT_CHILD_HOTLINE),
        "INBOUND_PROCESSING": _env("INBOUND_PROCESSING", DEFAULT_INBOUND_PROCESSING).lower()
        not in ("off", "0", "false", "no"),
        "TRACK_LESSONS_PER_WEEK": _pairs(
            _env("TRACK_LESSONS_PER_WEEK", DEFAULT_TRACK_LESSONS_PER_WEEK), int
        ),
        "TIME_OF_DAY_CLOCK": _pairs(_env("TIME_OF_DAY_CLOCK", DEFAULT_TIME_OF_DAY_CLOCK), str),
        "LESSON_WINDOW_MINUTES": int(_env("LESSON_WINDOW_MINUTES", DEFAULT_LESSON_WINDOW_MINUTES)),
        "SEND_CLAIM_SECONDS": int(_env("SEND_CLAIM_SECONDS", DEFAULT_SEND_CLAIM_SECONDS)),
        "SEND_RETRY_SECONDS": int(_env("SEND_RETRY_SECONDS", DEFAULT_SEND_RETRY_SECONDS)),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }
