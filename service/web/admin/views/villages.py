"""Villages: the sortable table, a page per village, its CSV, and the admin's add/edit forms."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from messages.placeholders import LOCAL_SERVICES
from service import audit
from service.models import Village, db, utcnow
from service.web.admin.blueprint import bp
from service.web.admin.csvout import csv_response
from service.web.admin.filters import percent
from service.web.admin.forms import VillageForm
from service.web.admin.languages import is_draft, label
from service.web.admin.queries import content, households, series, villages
from service.web.admin.views.changes import apply_changes
from service.web.admin.views.common import actor, page_number
from service.web.admin.views.overview import weekly_chart
from service.web.auth import admin_required
from service.web.locale import N_
from service.web.locale import gettext as _

COLUMNS = (
    # sort key, heading
    ("name", N_("Village")),
    ("district", N_("District")),
    ("households", N_("Households")),
    ("caregivers", N_("Caregivers")),
    ("delivery", N_("Delivery")),
    ("last_meeting", N_("Last meeting")),
    ("attendance", N_("Attendance")),
    ("callbacks", N_("Call-backs")),
)


def _sorting():
    sort = request.args.get("sort", "name")
    sort = sort if sort in villages.SORT_KEYS else "name"
    return sort, request.args.get("dir") == "desc"


@bp.get("/villages")
def village_list():
    """Every village with its numbers; any column can be sorted."""
    sort, descending = _sorting()
    rows = villages.village_rows(utcnow(), sort, descending)
    return render_template(
        "admin/villages.html",
        active="villages",
        rows=rows,
        columns=COLUMNS,
        sort=sort,
        descending=descending,
    )


@bp.get("/villages.csv")
def village_csv():
    """The villages table as CSV, in the same order as on screen."""
    sort, descending = _sorting()
    rows = villages.village_rows(utcnow(), sort, descending)
    header = [
        N_("village"),
        N_("district"),
        N_("province"),
        N_("households"),
        N_("active_caregivers"),
        N_("sms_sent_28d"),
        N_("sms_delivered_28d"),
        N_("delivery_rate"),
        N_("last_meeting"),
        N_("attended_last_meeting"),
        N_("attendance_rate"),
        N_("open_callback_requests"),
    ]
    return csv_response("villages.csv", header, (_csv_row(row) for row in rows))


def _csv_row(row):
    return [
        row.name,
        row.district,
        row.province,
        row.households,
        row.active_caregivers,
        row.sent,
        row.delivered,
        _ratio(row.delivery_rate),
        row.last_meeting.isoformat() if row.last_meeting else "",
        row.attended,
        _ratio(row.attendance_rate),
        row.open_callbacks,
    ]


def _ratio(rate):
    return "" if rate is None else f"{rate:.4f}"


@bp.get("/villages/<int:village_id>")
def village_detail(village_id):
    """One village: its numbers, facilitators, meetings, callbacks and households."""
    village = db.session.get(Village, village_id) or abort(404)
    now = utcnow()
    weekly = series.sent_and_delivered(now, village_id=village_id)
    return render_template(
        "admin/village.html",
        active="villages",
        village=village,
        row=villages.village_rows(now, village_id=village_id)[0],
        facilitators=villages.village_facilitators(village_id),
        meetings=villages.village_meetings(village_id),
        callbacks=villages.open_callback_requests(village_id),
        homes=households.search(page=page_number(), per_page=25, village_id=village_id),
        services=content.village_services(village),
        weekly_svg=weekly_chart(
            weekly,
            "village-weekly",
            _("SMS sent and delivered in %(village)s", village=village.name),
        ),
        percent=percent,
    )


def _name_taken(name, village_id=None):
    """Another village has this name, whatever its case (SQLite lowers ASCII letters only)."""
    name = name.strip()
    query = select(Village.id).where(
        or_(Village.name == name, func.lower(Village.name) == name.lower())
    )
    if village_id is not None:
        query = query.where(Village.id != village_id)
    return db.session.scalar(query) is not None


def _unconfirmed_draft(form, village=None):
    """True (and the form says why) when a village would switch to a draft language unasked."""
    code = form.language.data
    switching = village is None or village.language != code
    if not switching or not is_draft(code) or form.confirm_draft.data:
        return False
    form.confirm_draft.errors = [
        _(
            "%(name)s is a draft translation: tick the box to confirm this village uses it.",
            name=label(code),
        )
    ]
    return True


def _page(form, village):
    """The add/edit form; the draft question shows once it has to be answered."""
    return render_template(
        "admin/village_form.html",
        active="villages",
        form=form,
        village=village,
        ask_draft=bool(form.confirm_draft.errors) or bool(form.confirm_draft.data),
    )


def _values(form):
    return {
        "name": form.name.data.strip(),
        "district": form.district.data.strip(),
        "province": form.province.data.strip(),
        "timezone": form.timezone.data,
        "language": form.language.data,
        "lessons_per_week": form.lessons_per_week.data,
        **{key: _blank_is_none(getattr(form, key).data) for key in LOCAL_SERVICES},
    }


def _blank_is_none(text):
    """An emptied field means "use the pack's or the default", stored as NULL."""
    return " ".join((text or "").split()) or None


@bp.route("/villages/new", methods=["GET", "POST"])
@admin_required
def village_new():
    """Add a village (admins only); audited."""
    form = VillageForm()
    if form.validate_on_submit() and not _unconfirmed_draft(form):
        if _name_taken(form.name.data):
            form.name.errors.append(_("A village with this name exists already."))
        else:
            village = Village(**_values(form))
            db.session.add(village)
            db.session.flush()
            audit.record(
                actor(), "village.add", "village", village.id, name=village.name, **_draft(form)
            )
            db.session.commit()
            flash(_("Village %(name)s added.", name=village.name))
            return redirect(url_for("admin.village_detail", village_id=village.id))
    return _page(form, None)


@bp.route("/villages/<int:village_id>/edit", methods=["GET", "POST"])
@admin_required
def village_edit(village_id):
    """Change a village's details (admins only); the audit log keeps old and new values."""
    village = db.session.get(Village, village_id) or abort(404)
    form = VillageForm(obj=village)
    if form.validate_on_submit() and not _unconfirmed_draft(form, village):
        if _name_taken(form.name.data, village_id):
            form.name.errors.append(_("Another village has this name."))
        else:
            changes = apply_changes(village, _values(form))
            if changes:
                detail = {"changes": changes, **_draft(form)}
                audit.record(actor(), "village.edit", "village", village.id, **detail)
            db.session.commit()
            flash(
                _("Village %(name)s saved.", name=village.name)
                if changes
                else _("Nothing changed.")
            )
            return redirect(url_for("admin.village_detail", village_id=village.id))
    return _page(form, village)


def _draft(form):
    """The audit log notes who confirmed a draft language for a village."""
    return {"draft_language_confirmed": form.language.data} if form.confirm_draft.data else {}
