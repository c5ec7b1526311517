"""Signing in and out, with failed attempts slowed and then refused."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from service.models import db, utcnow
from service.web import auth, locale
from service.web.admin.blueprint import bp
from service.web.admin.forms import LoginForm
from service.web.locale import gettext as _


def _refusal(verdict):
    if verdict.refused:
        minutes = max(1, round(verdict.wait / 60))
        return _(
            "Too many failed attempts. Sign-in is refused for about %(minutes)s min.",
            minutes=minutes,
        )
    return _(
        "Too many failed attempts. Wait %(seconds)s s before trying again.", seconds=verdict.wait
    )


def _page(form, error=None, status=200, headers=None):
    return render_template("admin/login.html", form=form, error=error), status, headers or {}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; success returns the officer to the page they asked for."""
    target = auth.safe_next(request.args.get("next"))
    if wanted := locale.wanted_language():  # ?lang=en: the visitor's choice, kept in the session
        session[locale.SESSION_KEY] = wanted
        locale.forget()
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target)
    form = LoginForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if request.method == "POST" else 200)
    return _attempt(form, target)


def _attempt(form, target):
    username, address = form.username.data.strip(), request.remote_addr or "unknown"
    verdict = auth.login_verdict(username, address)
    if not verdict.allowed:
        return _page(form, _refusal(verdict), 429, {"Retry-After": str(verdict.wait)})
    user = auth.find_account(username, form.password.data)
    if user is None:
        auth.record_failure(username, address)
        return _page(form, _("Wrong username or password."), 401)
    auth.clear_account_failures(username)
    login_user(user)
    user.last_login_at = utcnow()
    db.session.commit()
    return redirect(target)


@bp.post("/logout")
def logout():
    """Sign out everywhere: a copy of the session cookie taken earlier stops working too.

    A POST with a CSRF token, so no link on another site can do it.
    """
    current_user.end_sessions()
    db.session.commit()
    session[locale.SESSION_KEY] = locale.ui_language()  # the sign-in page stays in it
    logout_user()
    locale.forget()
    flash(_("You are signed out."))
    return redirect(url_for("admin.login"))
