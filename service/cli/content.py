"""`asuh content check`: no lesson reaches a phone unless every lesson and pack file passes."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, ScriptInfo
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from messages.lessons import TRACKS, Place, check_content, load_catalog
from service.models import Village, db

content = AppGroup("content", help="Lesson content: validation.")


def _summary(path: Path | None, places) -> str:
    """One line saying what was checked, so an OK is visibly about the right files."""
    catalog = load_catalog(path)
    lessons = sum(catalog.count(track) for track in TRACKS)
    slugs = {pack.slug for pack in catalog.packs}
    overrides = sum(len(pack.overrides) for pack in catalog.packs)
    own = len({lesson.id for pack in catalog.packs for lesson in pack.lessons})
    villages = "no database" if places is None else f"{len(places)} villages checked"
    return (
        f"OK: {lessons} lessons in {len(TRACKS)} tracks, {len(catalog.languages())} languages, "
        f"{_count(len(slugs), 'regional pack')} ({_count(overrides, 'override')}, "
        f"{_count(own, 'lesson')} of their own); "
        f"{villages}"
    )


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def database_places() -> tuple[list[Place] | None, str]:
    """The villages of the configured database with their local services, or None and why."""
    info = click.get_current_context().ensure_object(ScriptInfo)
    try:
        app = info.load_app()
    except Exception:  # no app to load: a bare `content check` outside the project
        return None, "no database"
    with app.app_context():
        url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
            return None, "no database file yet"
        try:
            rows = db.session.execute(
                select(
                    Village.name,
                    Village.province,
                    Village.uptd_ppa,
                    Village.puskesmas,
                    Village.hotline,
                ).order_by(Village.name)
            ).all()
        except SQLAlchemyError as error:
            return None, f"database not readable ({error.__class__.__name__})"
        finally:
            db.session.remove()
    return [_place(row) for row in rows], ""


def _place(row) -> Place:
    services = {"uptd_ppa": row.uptd_ppa, "puskesmas": row.puskesmas, "hotline": row.hotline}
    return Place(row.name, row.province, services)


@content.command("check", with_appcontext=False)
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Lesson directory to check (default: the shipped lessons).",
)
@click.option(
    "--villages/--no-villages",
    default=True,
    help="Check the local services of every village in the database (when there is one).",
)
def check(path: Path | None, villages: bool) -> None:
    """Validate every lesson, variant, summary, guide and pack; exit 1 on any problem."""
    places, why = database_places() if villages else (None, "not asked")
    if places is None:
        click.echo(f"Villages not checked ({why}): pack defaults must fill their placeholders.")
    problems = check_content(path, places=places)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(_summary(path, places))
