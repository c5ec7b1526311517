"""How the dashboard names the programme's languages and marks the draft ones.

A language is a draft until a named native speaker has signed off every part it covers
(messages/coverage.py reads that from the files); villages in a draft language are marked,
and only an admin who confirms it may switch a village to one.
"""

from wtforms.fields.choices import SelectChoice

from messages.coverage import states
from service.languages import registry
from service.review import DRAFT
from service.web.locale import gettext as _
from service.web.locale import ui_language


def label(code):
    """A language's name as this officer reads the dashboard ("Bahasa Jawa" / "Javanese")."""
    found = registry().get(code)
    return found.label(ui_language()) if found else code


def is_draft(code):
    """True when no native speaker has signed off all of the language's texts yet."""
    return states().get(code) == DRAFT


def choices():
    """Every registered language for a form's select, drafts marked as such."""
    return [
        SelectChoice(
            x.code, _("%(name)s (draft)", name=label(x.code)) if is_draft(x.code) else label(x.code)
        )
        for x in registry()
    ]


def init_app(app):
    """`{{ code | language_name }}` and `{% if code is draft_language %}` in templates."""
    app.jinja_env.filters["language_name"] = label
    app.jinja_env.tests["draft_language"] = is_draft
