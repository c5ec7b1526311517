"""`asuh content check`: no lesson or translation reaches a phone unless its files pass."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from menus.fit import screen_problems
from messages.coverage import Coverage, coverage
from messages.lessons import LANGUAGES, TRACKS, check_content, load_catalog
from messages.translations import translation_problems, unknown_keys
from service import review
from workers.gateway.africastalking import USSD_SCREEN_CHARS

content = AppGroup("content", help="Lesson content and translations: validation and coverage.")


def _summary(path: Path | None) -> str:
    """One line saying what was checked, so an OK is visibly about the right files."""
    catalog = load_catalog(path)
    lessons = sum(catalog.count(track) for track in TRACKS)
    return (
        f"OK: {lessons} lessons in {len(TRACKS)} tracks, {len(LANGUAGES)} source languages, "
        f"{len(catalog.overrides)} overrides"
    )


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


@content.command("check")
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Lesson directory to check (default: the shipped lessons and translations).",
)
def check(path: Path | None) -> None:
    """Validate every lesson and translation; report coverage; exit 1 on any problem."""
    problems = check_content(path)
    if path is None:
        problems += translation_problems() + screen_problems(USSD_SCREEN_CHARS)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        raise click.exceptions.Exit(1)
    click.echo(_summary(path))
    if path is None:
        click.echo("\n".join(coverage_lines()))
        for warning in unknown_keys():
            click.echo(f"warning: {warning}")
