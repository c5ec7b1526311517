"""The dashboard's language: an officer's choice is kept on the account, a visitor's (on the
sign-in page) in the session, so each reads the dashboard in Indonesian or English."""

from flask import redirect, request, session
from flask_login import current_user

from service.models import db
from service.web import auth, locale
from service.web.admin.blueprint import bp


@bp.post("/language")
def choose_language():
    """Switch and return to the page the choice was made on (a POST with a CSRF token)."""
    refused = auth.refuse_bad_token()
    if refused is not None:
        return refused
    code = request.form.get("language", "")
    if code in {choice.code for choice in locale.choices()}:
        session[locale.SESSION_KEY] = code
        if current_user.is_authenticated:
            current_user.language = code
            db.session.commit()
    return redirect(auth.safe_next(request.form.get("next")))
