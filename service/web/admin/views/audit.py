"""The audit log: who changed what, when; and its CSV."""

import json

from flask import flash, render_template

from service.models import db
from service.web.admin.blueprint import bp
from service.web.admin.csvout import csv_response
from service.web.admin.queries.audit import audit_page, audit_query, viewer_actor_pattern
from service.web.admin.views.common import page_number, query_text, shown_text
from service.web.auth import is_admin
from service.web.locale import N_
from service.web.locale import gettext as _

ADMINS_ONLY = ("safeguarding.",)  # what a child or caregiver disclosed: not for viewers
WITHHELD = '{"detail": "shown to admins only"}'
VIEWER_FILTER_NOTE = N_(
    "Viewers filter by who acted (sms:, ussd:, admin:, cli) or by a number exactly as it is "
    "shown, e.g. sms:+62812****7890; digits of hidden numbers cannot be searched."
)


def _narrowing():
    return query_text("actor"), query_text("action")


def detail_text(row):
    """The change's details as compact JSON, phone numbers masked for viewers."""
    if not is_admin() and row.action.startswith(ADMINS_ONLY):
        return WITHHELD
    return shown_text(json.dumps(row.detail or {}, ensure_ascii=False, sort_keys=True))


@bp.get("/audit")
def audit_list():
    """Every recorded change, newest first."""
    actor, action = _narrowing()
    masked = not is_admin()
    if masked and actor and viewer_actor_pattern(actor) is None:
        flash(_(VIEWER_FILTER_NOTE))
    return render_template(
        "admin/audit.html",
        active="audit",
        actor=actor,
        action=action,
        args={key: value for key, value in (("actor", actor), ("action", action)) if value},
        page=audit_page(actor, action, page_number(), masked=masked),
        detail_text=detail_text,
    )


@bp.get("/audit.csv")
def audit_csv():
    """The audit log as CSV."""
    header = [
        N_("id"),
        N_("at"),
        N_("actor"),
        N_("action"),
        N_("entity"),
        N_("entity_id"),
        N_("detail"),
    ]
    return csv_response("audit.csv", header, _csv_rows(*_narrowing(), masked=not is_admin()))


def _csv_rows(actor, action, masked):
    """Rows read while the response streams (a generator: nothing runs inside the view)."""
    query = audit_query(actor, action, masked).execution_options(yield_per=1000)
    for r in db.session.scalars(query):
        yield [
            r.id,
            r.at.isoformat(),
            shown_text(r.actor),
            r.action,
            r.entity,
            r.entity_id or "",
            detail_text(r),
        ]
