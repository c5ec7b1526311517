"""How much of each part every registered language covers, and whether a named reviewer
signed it off: `asuh content check` prints it, the dashboard's content page shows it.

Counts come from the files (keys of a .po catalog, lesson ids of a track file) measured
against the root language (Indonesian); review states from the files' own headers/tables.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from messages.lessons import ContentError, load_catalog, read_lesson_files
from service import review
from service.i18n import load_domain
from service.languages import (
    CATALOG_PARTS,
    LESSON_PART,
    Language,
    Registry,
    extra_dirs,
    registry,
)

PARTS = tuple(part for part in CATALOG_PARTS if part != "dashboard")  # texts phones receive


@dataclass(frozen=True)
class Coverage:
    """One part of one language: how many of the root language's texts it has, and its review."""

    language: str
    part: str  # "menus", "replies", "notices" or "lessons.<track>"
    have: int
    total: int
    review: review.Review
    reviewed_lessons: int = 0  # lessons signed off one by one inside a draft file

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.have >= self.total

    @property
    def share(self) -> float:
        return self.have / self.total if self.total else 0.0


def coverage() -> list[Coverage]:
    """Every part every language is meant to cover, in registry order."""
    found = registry()
    try:
        catalog = load_catalog()
    except ContentError:
        catalog = None
    files = _lesson_files()
    rows = []
    for language in found:
        rows += [_catalog_row(found, language, part) for part in PARTS if language.covers(part)]
        rows += [_lesson_row(found, language, t, catalog, files) for t in language.tracks()]
    return rows


def _catalog_row(found: Registry, language: Language, part: str) -> Coverage:
    """Keys of the language's catalog that the root catalog has too."""
    catalogs = load_domain(found.folder(part))
    root = set(catalogs.get(found.root.code, {}))
    have = len(root & set(catalogs.get(language.code, {})))
    path = found.folder(part, language) / f"{language.code}.po"
    state = _source_or(language, lambda: review.from_po(path) if path.exists() else None)
    return Coverage(language.code, part, have, len(root), state)


def _lesson_row(found: Registry, language: Language, track: str, catalog, files) -> Coverage:
    """Lessons of the track written in the language, and the file's review."""
    tracks = catalog.tracks if catalog is not None else {}
    root = {x.id for x in tracks.get((track, found.root.code), ())}
    have = len(root & {x.id for x in tracks.get((track, language.code), ())})
    data = files.get((track, language.code))
    state = _source_or(language, lambda: review.from_table(data.get("review")) if data else None)
    signed = sum(1 for entry in (data or {}).get("lesson") or [] if _signed(entry))
    return Coverage(language.code, f"{LESSON_PART}.{track}", have, len(root), state, signed)


def _source_or(language: Language, read) -> review.Review:
    """Originals need no review; a translation's is read from its file (none yet: missing)."""
    if language.source:
        return review.Review(review.SOURCE)
    return read() or review.Review(review.MISSING)


def _signed(entry: object) -> bool:
    """A lesson reviewed on its own, by a named reviewer on a given day."""
    found = review.from_table(entry.get("review")) if isinstance(entry, dict) else None
    return found is not None and found.status == review.REVIEWED and found.complete


def _lesson_files() -> dict[tuple[str, str], dict]:
    """Parsed track files by (track, language)."""
    return {(str(d.get("track")), str(d.get("language"))): d for d in read_lesson_files().values()}


def states() -> dict[str, str]:
    """Each registered language's state as a whole (files change only on deploy: cached)."""
    return _states(extra_dirs())


@functools.lru_cache(maxsize=16)
def _states(extra: tuple[str, ...]) -> dict[str, str]:
    rows = coverage()
    return {language.code: language_state(rows, language.code) for language in registry()}


def language_state(rows: list[Coverage], code: str) -> str:
    """A language as a whole: "source", "reviewed" (every part signed off) or "draft"."""
    mine = [row for row in rows if row.language == code]
    if any(row.review.status == review.SOURCE for row in mine):
        return review.SOURCE
    if mine and all(row.review.signed_off for row in mine):
        return review.REVIEWED
    return review.DRAFT
