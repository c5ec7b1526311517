"""The audit log: who changed what, when; and its CSV."""

import json

from flask import render_template, request

from service.models import db
from service.web.admin.blueprint import bp
from service.web.admin.csvout import csv_response
from service.web.admin.queries.audit import audit_page, audit_query
from service.web.admin.views.common import page_number, shown_text
from service.web.locale import N_


def _narrowing():
    return request.args.get("actor", "").strip(), request.args.get("action", "").strip()


def detail_text(row):
    """The change's details as compact JSON, phone numbers masked for viewers."""
    return shown_text(json.dumps(row.detail or {}, ensure_ascii=False, sort_keys=True))


@bp.get("/audit")
def audit_list():
    """Every recorded change, newest first."""
    actor, action = _narrowing()
    return render_template(
        "admin/audit.html",
        active="audit",
        actor=actor,
        action=action,
        args={key: value for key, value in (("actor", actor), ("action", action)) if value},
        page=audit_page(actor, action, page_number()),
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
    return csv_response("audit.csv", header, _csv_rows(*_narrowing()))


def _csv_rows(actor, action):
    """Rows read while the response streams (a generator: nothing runs inside the view)."""
    query = audit_query(actor, action).execution_options(yield_per=1000)
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
