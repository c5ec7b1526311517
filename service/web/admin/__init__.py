"""The programme dashboard at /admin: overview, villages, households, messages, content, audit."""

from service.web import auth, locale
from service.web.admin import filters, languages
from service.web.admin.blueprint import bp
from service.web.admin.views import (  # noqa: F401 - importing registers the routes
    audit,
    content,
    facilitators,
    households,
    language,
    login,
    messages,
    overview,
    villages,
)

__all__ = ["bp", "init_app"]


def init_app(app):
    """Sessions, roles and the template filters the dashboard pages use."""
    auth.init_app(app)
    locale.init_app(app)
    filters.init_app(app)
    languages.init_app(app)
