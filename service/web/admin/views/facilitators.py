"""Facilitators: the list, its CSV, and the admin's add/edit forms (audited)."""

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from service import audit
from service.enrollments import enroll, set_state_for
from service.models import Facilitator, db
from service.owners import household_member
from service.states import EnrollmentState, Track
from service.web.admin.blueprint import bp
from service.web.admin.csvout import csv_response
from service.web.admin.forms import FacilitatorForm, SelectChoice
from service.web.admin.queries.facilitators import all_facilitators, village_choices
from service.web.admin.views.changes import apply_changes
from service.web.admin.views.common import actor, shown_phone
from service.web.auth import admin_required
from service.web.locale import N_
from service.web.locale import gettext as _


@bp.get("/facilitators")
def facilitator_list():
    """Every facilitator, by village."""
    return render_template(
        "admin/facilitators.html", active="facilitators", facilitators=all_facilitators()
    )


@bp.get("/facilitators.csv")
def facilitator_csv():
    """Facilitators as CSV; viewers get masked numbers."""
    header = [N_("name"), N_("phone"), N_("village"), N_("language"), N_("active")]
    return csv_response("facilitators.csv", header, _csv_rows())


def _csv_rows():
    """Rows read while the response streams (a generator: nothing runs inside the view)."""
    for f in all_facilitators():
        yield [
            f.name,
            shown_phone(f.phone),
            f.village.name,
            f.language,
            _("yes") if f.active else _("no"),
        ]


def _form(facilitator=None):
    form = FacilitatorForm(obj=facilitator)
    form.village_id.choices = [SelectChoice(vid, name) for vid, name in village_choices()]
    return form


def _phone_taken(phone, facilitator_id=None):
    query = select(Facilitator.id).where(Facilitator.phone == phone)
    if facilitator_id is not None:
        query = query.where(Facilitator.id != facilitator_id)
    return db.session.scalar(query) is not None


def _household_number(phone):
    """Why a household member's number cannot be a facilitator's, or None."""
    member = household_member(phone)
    if member is None:
        return None
    return _(
        "This number belongs to the %(member)s: as a facilitator's, its SMS would be read as "
        "facilitator commands. Use another number (or `asuh facilitator add --force` if this "
        "is really intended).",
        member=member,
    )


def _values(form):
    return {
        "name": form.name.data.strip(),
        "phone": form.phone.data,
        "village_id": form.village_id.data,
        "language": form.language.data,
        "active": bool(form.active.data),
    }


@bp.route("/facilitators/new", methods=["GET", "POST"])
@admin_required
def facilitator_new():
    """Add a facilitator and enrol them in the facilitator guides, as the CLI does."""
    form = _form()
    if form.validate_on_submit():
        if _phone_taken(form.phone.data):
            form.phone.errors.append(_("This number is a facilitator already."))
        elif problem := _household_number(form.phone.data):
            form.phone.errors.append(problem)
        else:
            row = Facilitator(**_values(form))
            db.session.add(row)
            db.session.flush()
            enroll(Track.FACILITATOR, row.id)
            audit.record(actor(), "facilitator.add", "facilitator", row.id, phone=row.phone)
            db.session.commit()
            flash(_("Facilitator %(name)s added.", name=row.name))
            return redirect(url_for("admin.facilitator_list"))
    return render_template(
        "admin/facilitator_form.html", active="facilitators", form=form, facilitator=None
    )


@bp.route("/facilitators/<int:facilitator_id>/edit", methods=["GET", "POST"])
@admin_required
def facilitator_edit(facilitator_id):
    """Change a facilitator; deactivating one pauses their guides, reactivating resumes them."""
    row = db.session.get(Facilitator, facilitator_id) or abort(404)
    form = _form(row)
    if form.validate_on_submit():
        if _phone_taken(form.phone.data, facilitator_id):
            form.phone.errors.append(_("Another facilitator has this number."))
        elif form.phone.data != row.phone and (problem := _household_number(form.phone.data)):
            form.phone.errors.append(problem)
        else:
            changes = apply_changes(row, _values(form))
            if "active" in changes:
                state = EnrollmentState.ACTIVE if row.active else EnrollmentState.PAUSED
                set_state_for(Track.FACILITATOR, row.id, state)
            if changes:
                audit.record(actor(), "facilitator.edit", "facilitator", row.id, changes=changes)
            db.session.commit()
            flash(
                _("Facilitator %(name)s saved.", name=row.name)
                if changes
                else _("Nothing changed.")
            )
            return redirect(url_for("admin.facilitator_list"))
    return render_template(
        "admin/facilitator_form.html", active="facilitators", form=form, facilitator=row
    )
