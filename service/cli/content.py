"""`asuh content check`: no lesson or translation reaches a phone unless every lesson, pack and
translation file passes."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import click
from flask.cli import AppGroup, ScriptInfo
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from menus.fit import screen_problems
from messages.coverage import Coverage, coverage
from messages.lessons import TRACKS, Place, check_content, load_catalog
from messages.translations import translation_problems, unknown_keys
from service import review
from service.models import Village, db
from workers.gateway.africastalking import USSD_SCREEN_CHARS

content = AppGroup("content", help="Lesson content and translations: validation and coverage.")


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


def _load_app():
    """The project's app, or None for a bare `content check` outside the project."""
    info = click.get_current_context().ensure_object(ScriptInfo)
    try:
        return info.load_app()
    except Exception:  # no app to load
        return None


def database_places(app) -> tuple[list[Place] | None, str]:
    """The villages of the configured database with their local services, or None and why."""
    if app is None:
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


def _state(row: Coverage) -> str:
    """draft / reviewed by Siti Aminah on 2026-11-30 / source."""
    state = row.review
    if state.status == review.MISSING and not row.have:
        return "not written yet"
    if state.status == review.REVIEWED:
        text = f"reviewed by {state.by} on {state.on}"
    else:
        text = state.status
    if row.reviewed_lessons and state.status != review.REVIEWED:
        text += f" ({row.reviewed_lessons} lessons reviewed one by one)"
    return text


def coverage_lines() -> list[str]:
    """One line per language and part: how much is written and whether it was reviewed."""
    lines = ["Coverage (texts written / texts in Indonesian; the rest falls back):"]
    for row in coverage():
        part = row.part.replace("lessons.", "lessons ")
        lines.append(f"  {row.language:<4} {part:<22} {row.have:>4}/{row.total:<4} {_state(row)}")
    return lines


@content.command("check", with_appcontext=False)
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Lesson directory to check (default: the shipped lessons and translations).",
)
@click.option(
    "--villages/--no-villages",
    default=True,
    help="Check the local services of every village in the database (when there is one).",
)
def check(path: Path | None, villages: bool) -> None:
    """Validate every lesson, variant, summary, guide, pack and translation; report coverage;
    exit 1 on any problem."""
    app = _load_app()
    places, why = database_places(app) if villages else (None, "not asked")
    if places is None:
        click.echo(f"Villages not checked ({why}): pack defaults must fill their placeholders.")
    with app.app_context() if app is not None else nullcontext():  # its LANGUAGE_DIRS
        _check(path, places)


def _check(path: Path | None, places) -> None:
    problems = check_content(path, places=places)
    if path is None:
        problems += translation_problems() + screen_problems(USSD_SCREEN_CHARS)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(_summary(path, places))
    if path is None:
        click.echo("\n".join(coverage_lines()))
        for warning in unknown_keys():
            click.echo(f"warning: {warning}")
