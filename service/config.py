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
# Child marriage: a word containing one of these stems near one of the child words below.
DEFAULT_MARRIAGE_WORDS = "kawin,nikah,marry,marri,wedding"
DEFAULT_CHILD_WORDS = (
    "anak,anakku,anaknya,anak-anak,cucu,cucuku,cucunya,umur,umurnya,usia,usianya,putri,putriku,"
    "putrinya,gadis,remaja,child,children,kid,daughter,granddaughter,girl,age,aged,years,teen,"
    "underage"
)
DEFAULT_SUICIDE_WORDS = (
    "bunuh diri,ingin mati,mau mati,pengen mati,ingin mengakhiri hidup,mengakhiri hidup,"
    "akhiri hidup,tidak ingin hidup,gantung diri,suicide,kill myself,want to die,end my life"
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
DEFAULT_SMS_RECIPIENTS_PER_REQUEST = 100  # the most SMS one gateway request carries
DEFAULT_SEND_REPORT_WAIT_SECONDS = 1800  # an unanswered request is re-sent after this, unreported
DEFAULT_RETENTION_DAYS = 365  # SMS bodies and inbound texts are blanked after this many days
DEFAULT_CONSOLE_REPORT_SECONDS = 3  # the console gateway reports delivery after this (0: never)
DEFAULT_KANNEL_SENDSMS_URL = "http://127.0.0.1:13013/cgi-bin/sendsms"
DEFAULT_KANNEL_CONCURRENCY = 8  # sendsms requests in flight at once per worker
DEFAULT_KANNEL_TIMEOUT = 10.0  # seconds to wait for Kannel's answer before retrying later
DEFAULT_INBOUND_MAX_TEXT = 1600  # characters of an inbound SMS kept; the rest is cut (10 parts)

DEVELOPMENT = "development"  # ASUH_ENV for laptops, `make run` and tests; anything else is strict
DEFAULT_ENV = DEVELOPMENT
MIN_SECRET_LENGTH = 16
DEFAULT_MAX_REQUEST_BYTES = 64 * 1024  # the dashboard's largest form is an SMS of 918 characters
DEFAULT_MAX_WEBHOOK_BYTES = 16 * 1024  # one SMS (10 parts, every character %-encoded) or USSD hop
NEW_SECRET_HINT = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'


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


class _Numbers:
    """Reads the number settings. A value that is no number (or below its minimum) is noted
    and its default used meanwhile, so start-up refuses it with a plain message naming the
    variable (`SETTINGS_PROBLEMS`, checked by refuse_unsafe) instead of a traceback."""

    def __init__(self):
        self.problems = []

    def __call__(self, name, default, kind=int, minimum=None, hint=None):
        raw = str(_env(name, default)).strip()
        try:
            value = kind(raw)
        except ValueError:
            value = None
        if value is None or (minimum is not None and value < minimum):
            wanted = hint or ("a whole number" if kind is int else "a number")
            if minimum is not None and not hint:
                wanted += f" of at least {minimum}"
            self.problems.append(f"{name} must be {wanted}, not {raw!r}")
            return kind(default)
        return value

    def pairs(self, name, default, kind):
        """ "caregiver=2,migrant=1" as a dict; a value that is no `kind` is noted."""
        try:
            return _pairs(_env(name, default), kind)
        except ValueError:
            self.problems.append(f"{name} must look like {default!r}, not {_env(name, default)!r}")
            return _pairs(default, kind)


def from_environment():
    """The app's settings as a dict, taken from the environment at call time."""
    number = _Numbers()
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
        "KANNEL_CONCURRENCY": number("KANNEL_CONCURRENCY", DEFAULT_KANNEL_CONCURRENCY),
        "KANNEL_TIMEOUT": number("KANNEL_TIMEOUT", DEFAULT_KANNEL_TIMEOUT, float),
        "INBOUND_MAX_TEXT": number("INBOUND_MAX_TEXT", DEFAULT_INBOUND_MAX_TEXT),
        "AT_USERNAME": _env("AT_USERNAME", "sandbox"),
        "AT_API_KEY": _env("AT_API_KEY", ""),
        "AT_SENDER_ID": _env("AT_SENDER_ID", ""),
        "AT_BASE_URL": _env("AT_BASE_URL", DEFAULT_AT_BASE_URL).rstrip("/"),
        "USSD_SERVICE_CODE": _env("USSD_SERVICE_CODE", DEFAULT_USSD_SERVICE_CODE),
        "DEFAULT_LANGUAGE": _env("DEFAULT_LANGUAGE", DEFAULT_LANGUAGE),
        "DASHBOARD_LANGUAGE": _env("DASHBOARD_LANGUAGE", DEFAULT_DASHBOARD_LANGUAGE),
        "LANGUAGE_DIRS": _env("LANGUAGE_DIRS", ""),  # extra language folders, os.pathsep-joined
        "PORT": number("PORT", DEFAULT_PORT),
        "SMS_MAX_PER_SECOND": number("SMS_MAX_PER_SECOND", DEFAULT_SMS_MAX_PER_SECOND, float),
        "USSD_SESSION_TTL": number("USSD_SESSION_TTL", DEFAULT_USSD_SESSION_TTL),
        "SAFEGUARDING_WORDS": _env("SAFEGUARDING_WORDS", DEFAULT_SAFEGUARDING_WORDS),
        "MARRIAGE_WORDS": _env("MARRIAGE_WORDS", DEFAULT_MARRIAGE_WORDS),
        "CHILD_WORDS": _env("CHILD_WORDS", DEFAULT_CHILD_WORDS),
        "SUICIDE_WORDS": _env("SUICIDE_WORDS", DEFAULT_SUICIDE_WORDS),
        "QUIET_HOURS": _env("QUIET_HOURS", DEFAULT_QUIET_HOURS),
        "LESSONS_PER_WEEK": number("LESSONS_PER_WEEK", DEFAULT_LESSONS_PER_WEEK),
        "CHILD_HOTLINE": _env("CHILD_HOTLINE", DEFAULT_CHILD_HOTLINE),
        "INBOUND_PROCESSING": _env("INBOUND_PROCESSING", DEFAULT_INBOUND_PROCESSING).lower()
        not in ("off", "0", "false", "no"),
        "TRACK_LESSONS_PER_WEEK": number.pairs(
            "TRACK_LESSONS_PER_WEEK", DEFAULT_TRACK_LESSONS_PER_WEEK, int
        ),
        "TIME_OF_DAY_CLOCK": _pairs(_env("TIME_OF_DAY_CLOCK", DEFAULT_TIME_OF_DAY_CLOCK), str),
        "LESSON_WINDOW_MINUTES": number("LESSON_WINDOW_MINUTES", DEFAULT_LESSON_WINDOW_MINUTES),
        "SEND_CLAIM_SECONDS": number("SEND_CLAIM_SECONDS", DEFAULT_SEND_CLAIM_SECONDS),
        "SEND_RETRY_SECONDS": number("SEND_RETRY_SECONDS", DEFAULT_SEND_RETRY_SECONDS),
        "SMS_RECIPIENTS_PER_REQUEST": max(
            1, number("SMS_RECIPIENTS_PER_REQUEST", DEFAULT_SMS_RECIPIENTS_PER_REQUEST)
        ),
        "RETENTION_DAYS": max(1, number("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)),
        "CONSOLE_REPORT_SECONDS": number("CONSOLE_REPORT_SECONDS", DEFAULT_CONSOLE_REPORT_SECONDS),
        "SEND_REPORT_WAIT_SECONDS": number(
            "SEND_REPORT_WAIT_SECONDS", DEFAULT_SEND_REPORT_WAIT_SECONDS
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "ASUH_ENV": _env("ASUH_ENV", DEFAULT_ENV).strip().lower(),
        "SIMULATOR": _env("SIMULATOR", "").strip().lower(),
        "MAX_CONTENT_LENGTH": DEFAULT_MAX_REQUEST_BYTES,
        "MAX_WEBHOOK_BYTES": DEFAULT_MAX_WEBHOOK_BYTES,
        "TRUSTED_PROXIES": number(
            "TRUSTED_PROXIES", 0, minimum=0, hint="0 or the number of reverse proxies in front"
        ),
        "SETTINGS_PROBLEMS": number.problems,
    }


def is_production(settings):
    """Anything but ASUH_ENV=development is run as production: a typo must not relax a check."""
    return settings.get("ASUH_ENV", DEFAULT_ENV) != DEVELOPMENT


def derived_settings(settings):
    """Settings that follow from ASUH_ENV: cookies, the simulator switch, the URL scheme."""
    strict = is_production(settings)
    return {
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": strict,
        "PREFERRED_URL_SCHEME": "https" if strict else "http",
        "SIMULATOR_ENABLED": not strict or settings.get("SIMULATOR") == "on",
    }


class UnsafeSettings(RuntimeError):
    """Production settings that would put people's data at risk; the message says what to set."""

    def __init__(self, problems, env_name="production"):
        self.problems = list(problems)
        lines = [f"Asuh will not start with ASUH_ENV={env_name} until this is fixed:"]
        super().__init__("\n".join(lines + [f"  - {problem}" for problem in self.problems]))


def _secret_problem(name, value, default):
    """Why a secret is unsafe (missing, the public default, or short), or None."""
    fix = f"set {name} to a long random value, e.g. the output of: {NEW_SECRET_HINT}"
    if not value or value == default:
        return f"{name} is missing, empty or the public development default: {fix}"
    if len(value) < MIN_SECRET_LENGTH:
        return f"{name} is shorter than {MIN_SECRET_LENGTH} characters: {fix}"
    return None


def _malformed(settings):
    """Settings that are wrong in any environment: numbers that are not numbers.

    TRUSTED_PROXIES is one: believing a header nobody sets would let callers pick their
    address and walk past the login throttle.
    """
    return list(settings.get("SETTINGS_PROBLEMS") or [])


def unsafe_settings(settings):
    """What stops these settings from running (in production, or malformed anywhere)."""
    if not is_production(settings):
        return _malformed(settings)
    problems = [
        *_malformed(settings),
        _secret_problem("SECRET_KEY", settings.get("SECRET_KEY"), DEFAULT_SECRET_KEY),
        _secret_problem("WEBHOOK_TOKEN", settings.get("WEBHOOK_TOKEN"), DEFAULT_WEBHOOK_TOKEN),
    ]
    if settings.get("SMS_GATEWAY", DEFAULT_SMS_GATEWAY) == "console":
        problems.append(
            "SMS_GATEWAY is console, which only writes SMS to the log: "
            "set SMS_GATEWAY=africastalking (with AT_USERNAME, AT_API_KEY) or kannel"
        )
    elif settings.get("SMS_GATEWAY") == "africastalking" and not settings.get("AT_API_KEY"):
        problems.append("SMS_GATEWAY=africastalking needs AT_API_KEY: set AT_API_KEY")
    elif settings.get("SMS_GATEWAY") == "kannel":
        problems += [
            f"SMS_GATEWAY=kannel needs {name}: set {name} (as in Kannel's sendsms-user)"
            for name in ("KANNEL_USERNAME", "KANNEL_PASSWORD")
            if not settings.get(name)
        ]
    return [problem for problem in problems if problem]


def refuse_unsafe(settings):
    """Raise UnsafeSettings when settings are unsafe in production or malformed anywhere."""
    problems = unsafe_settings(settings)
    if problems:
        raise UnsafeSettings(problems, settings.get("ASUH_ENV"))
