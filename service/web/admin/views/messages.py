"""The SMS log, filtered and paginated, and its CSV."""

from flask import render_template, request

from service.models import db
from service.states import MessageKind, MessageStatus
from service.web.admin.blueprint import bp
from service.web.admin.csvout import csv_response
from service.web.admin.queries.facilitators import village_choices
from service.web.admin.queries.messages import (
    MessageFilter,
    message_page,
    message_query,
    village_names,
)
from service.web.admin.views.common import page_number, shown_body, shown_phone
from service.web.locale import N_

CSV_HEADER = [
    N_("id"),
    N_("to"),
    N_("village"),
    N_("kind"),
    N_("status"),
    N_("segments"),
    N_("cost"),
    N_("body"),
    N_("provider_id"),
    N_("lesson_id"),
    N_("created_at"),
    N_("sent_at"),
    N_("delivered_at"),
    N_("failure_reason"),
]


@bp.get("/messages")
def message_list():
    """Outbox rows newest first, narrowed by status, kind, village and days."""
    selection = MessageFilter.from_args(request.args)
    return render_template(
        "admin/messages.html",
        active="messages",
        selection=selection,
        page=message_page(selection, page_number()),
        statuses=list(MessageStatus),
        kinds=list(MessageKind),
        villages=village_choices(),
        village_names=village_names(),
    )


@bp.get("/messages.csv")
def message_csv():
    """The filtered log as CSV, streamed; viewers get masked numbers (in bodies too), no alerts."""
    selection = MessageFilter.from_args(request.args)
    return csv_response("messages.csv", CSV_HEADER, _csv_rows(selection))


def _csv_rows(selection):
    """Rows read while the response streams (a generator: nothing runs inside the view)."""
    names = village_names()
    query = message_query(selection).execution_options(yield_per=1000)
    for message in db.session.scalars(query):
        yield _csv_row(message, names.get(message.village_id))


def _iso(moment):
    return moment.isoformat() if moment else ""


def _csv_row(message, village):
    return [
        message.id,
        shown_phone(message.to_phone),
        village or "",
        message.kind,
        message.status,
        message.segments,
        message.cost or "",
        shown_body(message),
        message.provider_id or "",
        message.lesson_id or "",
        _iso(message.created_at),
        _iso(message.sent_at),
        _iso(message.delivered_at),
        message.failure_reason or "",
    ]
