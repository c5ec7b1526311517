"""The dashboard's own language: each officer reads it in Indonesian or English.

Templates and views write English (`_("Households")`); the catalog of another language
(service/web/translations/id.po, msgid = the English text) gives its words. The languages
offered are the registry's that cover the "dashboard" part. Numbers and dates follow the
officer's choice: 1.234 and 30 Nov 2026 in Indonesian, 1,234 in English.
"""

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

from service.i18n import load_domain
from service.languages import registry

PART = "dashboard"
SOURCE = "en"  # the language the msgids are written in
SESSION_KEY = "ui_language"  # a visitor's choice before signing in


def choices():
    """The languages the dashboard speaks, in registry order."""
    return registry().offering(PART)


def _known(code):
    return code if any(language.code == code for language in choices()) else None


def ui_language():
    """The signed-in officer's language, else the visitor's choice, else the default (id)."""
    if not has_request_context():
        return current_app.config["DASHBOARD_LANGUAGE"]
    if "ui_language" not in g:
        user = getattr(current_user, "language", None) if current_user else None
        chosen = user if getattr(current_user, "is_authenticated", False) else None
        g.ui_language = _known(chosen) or _known(session.get(SESSION_KEY)) or _default_language()
    return g.ui_language


def _default_language():
    return _known(current_app.config["DASHBOARD_LANGUAGE"]) or SOURCE


def forget():
    """After the choice changed in this request, read it afresh."""
    g.pop("ui_language", None)


def _catalog(code):
    """{English text: translation} for a language (empty for English itself)."""
    return load_domain(registry().folder(PART)).get(code, {})


def lookup(text):
    """The translation of an English text, or the text itself."""
    return _catalog(ui_language()).get(text) or text


def lookup_plural(singular, plural, count):
    """The translation for `count` things (Indonesian has one form)."""
    found = _catalog(ui_language()).get((singular, plural))
    if isinstance(found, tuple) and found and found[0]:
        return found[0]
    return singular if count == 1 else plural


def gettext(text, **values):
    """For Python code: the translation with %(name)s values filled."""
    translated = lookup(text)
    return translated % values if values else translated


def ngettext(singular, plural, count, **values):
    """For Python code: the translation for `count` things, %(num)d filled."""
    return lookup_plural(singular, plural, count) % {"num": count, **values}


_ = gettext


def N_(text):  # noqa: N802 - the usual gettext name for "mark, translate where shown"
    """Mark an English text for the catalog; it is translated where it is shown."""
    return text


def init_app(app):
    """Jinja's i18n extension with the dashboard's catalogs; `ui_language()` for templates."""
    if "jinja2.ext.InternationalizationExtension" not in app.jinja_env.extensions:
        app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(lookup, lookup_plural, newstyle=True)
    app.jinja_env.globals.update(ui_language=ui_language, ui_choices=choices)
    app.before_request(forget)  # `g` may outlive a request (tests, in-process calls)


def wanted_language():
    """A language asked for by `?lang=` on a page a visitor sees before signing in."""
    return _known(request.args.get("lang"))
