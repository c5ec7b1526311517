"""The dashboard blueprint, guarded as a whole: nothing in it is served to anonymous users."""

from flask import Blueprint

from service.web import auth

bp = Blueprint(
    "admin",
    __name__,
    url_prefix="/admin",
    template_folder="../templates",
    static_folder="../static",
    static_url_path="/static",
)
auth.guard_blueprint(bp, public={"admin.login", "admin.static", "admin.choose_language"})
