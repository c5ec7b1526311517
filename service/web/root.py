"""`/`: people who type the bare address land on the dashboard (its login when signed out)."""

from flask import Blueprint, redirect, url_for

bp = Blueprint("root", __name__)


@bp.get("/")
def home():
    """There is no public home page; the dashboard is the door."""
    return redirect(url_for("admin.overview"))
