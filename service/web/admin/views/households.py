"""Households: search by code, name or phone; a page per household; CSV of the search."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from service.erasure import erase_household
from service.models import OutboxMessage, db
from service.web.admin.blueprint import bp
from service.web.admin.csvout import csv_response
from service.web.admin.queries import households
from service.web.admin.views.common import page_number, phone_list, query_text
from service.web.auth import admin_required, is_admin
from service.web.locale import N_

PHONE_SEARCH_NOTE = N_(
    "Searching by phone number is for admins: search by household code or caregiver name."
)

CSV_HEADER = [
    N_("code"),
    N_("village"),
    N_("status"),
    N_("registered_via"),
    N_("created_at"),
    N_("caregivers"),
    N_("caregiver_phones"),
    N_("children_birth_years"),
    N_("migrant_parent_phones"),
    N_("migrant_countries"),
]


@bp.get("/households")
def household_list():
    """Search households; an empty search lists the newest."""
    text = query_text("q")
    if text and not is_admin() and households.looks_like_phone(text):
        flash(PHONE_SEARCH_NOTE)
    return render_template(
        "admin/households.html",
        active="households",
        q=text,
        page=households.search(text, page_number(), by_phone=is_admin()),
    )


@bp.get("/households.csv")
def household_csv():
    """The households matching the search (all of them when none), streamed."""
    rows = _csv_rows(query_text("q"), by_phone=is_admin())
    return csv_response("households.csv", CSV_HEADER, rows)


def _csv_rows(text, by_phone):
    """Rows read while the response streams (a generator: nothing runs inside the view)."""
    query = households.household_query(text, by_phone=by_phone).execution_options(yield_per=500)
    for home in db.session.scalars(query):
        yield _csv_row(home)


def _csv_row(home):
    return [
        home.code,
        home.village.name,
        home.status,
        home.registered_via,
        home.created_at.isoformat(),
        "; ".join(f"{c.name} ({c.relationship})" for c in home.caregivers),
        phone_list(c.phone for c in home.caregivers),
        " ".join(str(child.birth_year) for child in home.children),
        phone_list(p.phone for p in home.migrant_parents),
        " ".join(p.country for p in home.migrant_parents),
    ]


@bp.get("/households/<int:household_id>")
def household_detail(household_id):
    """One household: its people and the latest SMS sent to them."""
    home = households.household(household_id) or abort(404)
    phones = [c.phone for c in home.caregivers] + [p.phone for p in home.migrant_parents]
    recent = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.to_phone.in_(phones))
        .order_by(OutboxMessage.id.desc())
        .limit(20)
    ).all()
    return render_template("admin/household.html", active="households", home=home, messages=recent)


@bp.post("/households/<int:household_id>/erase")
@admin_required
def household_erase(household_id):
    """Erase a household's personal data once its code is typed to confirm (Law 27/2022)."""
    home = households.household(household_id) or abort(404)
    if home.erased_at is None and request.form.get("confirm", "").strip() == home.code:
        erase_household(home, actor=f"admin:{current_user.username}")
        db.session.commit()
    elif home.erased_at is None:
        flash("Type the household code to confirm the erasure.")
    return redirect(url_for("admin.household_detail", household_id=home.id))
