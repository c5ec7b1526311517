"""Who may use the dashboard and simulator: sessions, roles, CSRF on posts, login throttling."""

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import abort, current_app, g, render_template, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import ValidationError, generate_csrf, validate_csrf
from redis import RedisError
from sqlalchemy import delete, func, select
from werkzeug.utils import redirect

from service import redis_keys
from service.models import AdminUser, LoginFailure, db
from service.passwords import hash_password, verify_password
from service.phones import mask, mask_numbers_in
from service.redis_client import get_redis
from service.states import AdminRole, MessageKind

WITHHELD_ALERT = "(an alert to the village facilitator: shown to admins only)"
# A path on this site and nothing a browser could read as another host: no "//", no "\\",
# no whitespace or control characters (browsers drop tabs and newlines, so "/\t/x" is "//x").
SAME_SITE_PATH = re.compile(r"/(?![/\\])[^\s\\\x00-\x1f\x7f]*")


# ---------------------------------------------------------------- sessions and roles


def init_app(app):
    """Flask-Login on the app, plus the template helpers every page uses."""
    if "login_manager" in app.extensions or hasattr(app, "login_manager"):
        return
    manager = LoginManager()
    manager.login_view = "admin.login"
    manager.session_protection = "basic"
    manager.user_loader(load_user)
    manager.unauthorized_handler(refuse_anonymous)
    manager.init_app(app)
    app.before_request(forget_cached_user)
    app.jinja_env.globals.update(
        csrf_token=generate_csrf, is_admin=is_admin, simulator_on=simulator_enabled
    )
    app.jinja_env.filters.update(phone=shown_phone, masked_text=shown_text, shown_body=shown_body)


def forget_cached_user():
    """Each request finds its user from its own cookie, even inside a shared app context.

    Flask-Login caches the user on `g`, which lives as long as the app context: an in-process
    call (the simulator's) or a test that keeps a context open would otherwise inherit it.
    """
    g.pop("_login_user", None)


def load_user(session_id):
    """The account behind a session cookie, or None when it was deleted or its sessions ended."""
    try:
        user_id, version = (int(part) for part in str(session_id).split(":"))
    except ValueError:  # a cookie from before session versions, or not ours
        return None
    user = db.session.get(AdminUser, user_id) if 0 < user_id < 2**31 else None
    return user if user is not None and user.session_version == version else None


def simulator_enabled():
    """The simulator is served in development, and in production only with SIMULATOR=on."""
    return bool(current_app.config.get("SIMULATOR_ENABLED", True))


def refuse_anonymous():
    """Pages send strangers to the login form; exports answer 401, which scripts understand."""
    if request.path.endswith(".csv"):
        abort(401)
    wanted = request.full_path if request.query_string else request.path
    return redirect(url_for("admin.login", next=wanted))


def is_admin(user=None):
    """True for accounts allowed to change things (and to see whole phone numbers)."""
    user = current_user if user is None else user
    return bool(getattr(user, "is_authenticated", False)) and user.role == AdminRole.ADMIN


def shown_phone(e164):
    """A phone number as this user may see it: whole for admins, masked for viewers."""
    return e164 if is_admin() else mask(e164)


def shown_text(text):
    """Free text (message bodies, audit details) with any phone number in it masked for viewers."""
    if text is None or is_admin():
        return text
    return mask_numbers_in(str(text))


def shown_body(message):
    """An outbox message's text for this user: alerts to facilitators (safeguarding reports,
    forwarded messages, registrations) are for admins only; other texts are masked for viewers."""
    if not is_admin() and message.kind == MessageKind.ALERT:
        return WITHHELD_ALERT
    return shown_text(message.body)


def guard_blueprint(bp, public=()):
    """Every view of `bp` needs a login, except the named public endpoints; posts need CSRF."""

    @bp.before_request
    def require_login_and_token():
        if request.endpoint in public:
            return None
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return refuse_bad_token()


def refuse_bad_token():
    """400 for a POST without a valid CSRF token (unless tests switched CSRF off)."""
    if request.method != "POST" or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as error:
        return render_template("errors/csrf.html", reason=error.args[0]), 400
    return None


def admin_required(view):
    """Viewers may read everything but change nothing."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not is_admin():
            abort(403)
        return view(*args, **kwargs)

    return guarded


def safe_next(target):
    """Only same-site paths, so a login link cannot bounce the user to another site."""
    if target and SAME_SITE_PATH.fullmatch(target):
        return target
    return url_for("admin.overview")


# ---------------------------------------------------------------- checking passwords

_dummy_hash = None


def find_account(username, password):
    """The account when the password matches; unknown names cost the same argon2 work."""
    global _dummy_hash
    user = db.session.scalar(db.select(AdminUser).where(AdminUser.username == username))
    if user is None:
        _dummy_hash = _dummy_hash or hash_password("not-a-real-password")
        verify_password(_dummy_hash, password)
        return None
    return user if verify_password(user.password_hash, password) else None


# ---------------------------------------------------------------- login throttling


@dataclass(frozen=True)
class Policy:
    """After `slow_after` failures each try waits longer; after `refuse_after` all are refused."""

    slow_after: int
    refuse_after: int
    window: int  # seconds a failure is remembered (and the refusal lasts)
    max_delay: int = 60


ACCOUNT_POLICY = Policy(slow_after=3, refuse_after=10, window=15 * 60)
ADDRESS_POLICY = Policy(slow_after=10, refuse_after=40, window=15 * 60)


@dataclass(frozen=True)
class Verdict:
    """Whether a login may be tried now; `wait` is seconds until it may."""

    allowed: bool
    wait: int = 0
    refused: bool = False  # True: locked for the window; False: just slowed


def _judge(count, last, policy, now):
    if now - last >= policy.window:  # forgotten (Redis expires the key at the same moment)
        return Verdict(True)
    if count >= policy.refuse_after:
        return Verdict(False, max(1, int(last + policy.window - now)), refused=True)
    if count >= policy.slow_after:
        delay = min(2 ** (count - policy.slow_after + 1), policy.max_delay)
        wait = int(last + delay - now + 0.999)
        return Verdict(True) if wait <= 0 else Verdict(False, wait)
    return Verdict(True)


def _subjects(username, address):
    """(scope, subject, policy) of the two counters one sign-in is judged by."""
    return (("user", username.lower(), ACCOUNT_POLICY), ("addr", address, ADDRESS_POLICY))


def _redis_key(scope, subject):
    if scope == "user":
        return redis_keys.key(redis_keys.LOGIN_FAILURES_USER, username=subject)
    return redis_keys.key(redis_keys.LOGIN_FAILURES_ADDR, address=subject)


def _redis_counts(subjects):
    pipe = get_redis().pipeline()
    for scope, subject, _ in subjects:
        pipe.hmget(_redis_key(scope, subject), "count", "last")
    return [(int(count or 0), float(last or 0)) for count, last in pipe.execute()]


def _db_counts(subjects, now):
    """The same counters from the database, for when Redis does not answer."""
    counts = []
    for scope, subject, policy in subjects:
        since = datetime.fromtimestamp(now - policy.window, UTC)
        count, last = db.session.execute(
            select(func.count(LoginFailure.id), func.max(LoginFailure.at)).where(
                LoginFailure.scope == scope,
                LoginFailure.subject == subject,
                LoginFailure.at >= since,
            )
        ).one()
        counts.append((count, _timestamp(last)))
    return counts


def _timestamp(moment):
    """Epoch seconds of a stored time (SQLite returns it naive, in UTC), 0 for none."""
    if moment is None:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def login_verdict(username, address, now=None):
    """The strictest verdict of the account's and the address's failure counters."""
    now = time.time() if now is None else now
    subjects = _subjects(username, address)
    try:
        counts = _redis_counts(subjects)
    except RedisError:
        counts = _db_counts(subjects, now)
    verdicts = [
        _judge(count, last, policy, now)
        for (count, last), (_, _, policy) in zip(counts, subjects, strict=True)
    ]
    refusals = [v for v in verdicts if not v.allowed]
    return max(refusals, key=lambda v: (v.refused, v.wait)) if refusals else Verdict(True)


def record_failure(username, address, now=None):
    """Count one failed login against both the account and the address."""
    now = time.time() if now is None else now
    subjects = _subjects(username, address)
    try:
        pipe = get_redis().pipeline()
        for scope, subject, policy in subjects:
            name = _redis_key(scope, subject)
            pipe.hincrby(name, "count", 1).hset(name, "last", now).expire(name, policy.window)
        pipe.execute()
    except RedisError:
        _db_record(subjects, now)


def _db_record(subjects, now):
    """Store the failure in the database, forgetting those older than any window."""
    at = datetime.fromtimestamp(now, UTC)
    oldest = at - timedelta(seconds=max(policy.window for _, _, policy in subjects))
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < oldest))
    db.session.add_all(
        LoginFailure(scope=scope, subject=subject[:120], at=at) for scope, subject, _ in subjects
    )
    db.session.commit()


def clear_account_failures(username):
    """A successful login forgives the account (the address keeps its count)."""
    try:
        get_redis().delete(_redis_key("user", username.lower()))
    except RedisError:
        db.session.execute(
            delete(LoginFailure).where(
                LoginFailure.scope == "user", LoginFailure.subject == username.lower()
            )
        )
