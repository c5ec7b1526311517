"""Who may use the dashboard and simulator: sessions, roles, CSRF on posts, login throttling."""

import re
import time
from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app, g, render_template, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import ValidationError, generate_csrf, validate_csrf
from werkzeug.utils import redirect

from service import redis_keys
from service.models import AdminUser, db
from service.passwords import hash_password, verify_password
from service.phones import mask
from service.redis_client import get_redis
from service.states import AdminRole

PHONE_IN_TEXT = re.compile(r"\+\d{8,15}")


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
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.jinja_env.globals.update(csrf_token=generate_csrf, is_admin=is_admin)
    app.jinja_env.filters.update(phone=shown_phone, masked_text=shown_text)


def forget_cached_user():
    """Each request finds its user from its own cookie, even inside a shared app context.

    Flask-Login caches the user on `g`, which lives as long as the app context: an in-process
    call (the simulator's) or a test that keeps a context open would otherwise inherit it.
    """
    g.pop("_login_user", None)


def load_user(user_id):
    """The account behind a session cookie, or None when it was deleted."""
    try:
        return db.session.get(AdminUser, int(user_id))
    except (TypeError, ValueError):
        return None


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
    return PHONE_IN_TEXT.sub(lambda found: mask(found.group(0)), str(text))


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
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
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


def _keys(username, address):
    return (
        (redis_keys.key(redis_keys.LOGIN_FAILURES_USER, username=username.lower()), ACCOUNT_POLICY),
        (redis_keys.key(redis_keys.LOGIN_FAILURES_ADDR, address=address), ADDRESS_POLICY),
    )


def login_verdict(username, address, now=None):
    """The strictest verdict of the account's and the address's failure counters."""
    now = time.time() if now is None else now
    verdicts = []
    for name, policy in _keys(username, address):
        count, last = get_redis().hmget(name, "count", "last")
        verdicts.append(_judge(int(count or 0), float(last or 0), policy, now))
    refusals = [v for v in verdicts if not v.allowed]
    return max(refusals, key=lambda v: (v.refused, v.wait)) if refusals else Verdict(True)


def record_failure(username, address, now=None):
    """Count one failed login against both the account and the address."""
    now = time.time() if now is None else now
    pipe = get_redis().pipeline()
    for name, policy in _keys(username, address):
        pipe.hincrby(name, "count", 1).hset(name, "last", now).expire(name, policy.window)
    pipe.execute()


def clear_account_failures(username):
    """A successful login forgives the account (the address keeps its count)."""
    get_redis().delete(redis_keys.key(redis_keys.LOGIN_FAILURES_USER, username=username.lower()))
