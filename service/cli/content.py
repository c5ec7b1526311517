"""`asuh content check`: no lesson reaches a phone unless every lesson file passes."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from messages.lessons import LANGUAGES, TRACKS, check_content, load_catalog

content = AppGroup("content", help="Lesson content: validation.")


def _summary(path: Path | None) -> str:
    """One line saying what was checked, so an OK is visibly about the right files."""
    catalog = load_catalog(path)
    lessons = sum(catalog.count(track) for track in TRACKS)
    return (
        f"OK: {lessons} lessons in {len(TRACKS)} tracks, {len(LANGUAGES)} languages, "
        f"{len(catalog.overrides)} overrides"
    )


@content.command("check", with_appcontext=False)
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Lesson directory to check (default: the shipped lessons).",
)
def check(path: Path | None) -> None:
    """Validate every lesson, variant, summary and override; exit 1 on any problem."""
    problems = check_content(path)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(_summary(path))
