"""Checks on translated texts that the lesson checker does not see: every translated .po
catalog (review header, known keys, the same placeholders as Indonesian, GSM-7, glossary
terms), the glossary of each translated language, and the glossary rule on lessons.

A translation may be partial (the rest falls back); a broken one must not reach a phone.
"""

from __future__ import annotations

import string
from pathlib import Path

from messages.glossary import path_of, read, term_problems
from messages.gsm import non_gsm_characters
from messages.keywords import alias_problems
from messages.lessons import ContentError, load_catalog
from service.i18n import load_domain, read_catalog
from service.languages import ROOT, Language, Registry, registry
from service.review import po_review_problems

CATALOG_PARTS = ("menus", "replies", "notices")  # the dashboard's catalog is checked by tests


def translation_problems() -> list[str]:
    """Every problem in the running app's translations, as sentences naming file and key."""
    found = registry()
    problems = []
    for language in found:
        if language.code == found.root.code:
            continue
        if not language.source and has_texts(found, language):
            problems += read(path_of(language.code))[1]
        for part in CATALOG_PARTS:
            problems += catalog_problems(found, part, language)
        problems += [] if language.source else lesson_term_problems(found, language)
    return problems + alias_problems()


def has_texts(found: Registry, language: Language) -> bool:
    """True once any catalog or lesson file of the language exists (then it needs a glossary)."""
    catalogs = (found.folder(part, language) / f"{language.code}.po" for part in CATALOG_PARTS)
    lessons = found.folder("lessons", language).glob(f"*.{language.code}.toml")
    return any(path.exists() for path in catalogs) or any(True for _ in lessons)


def shown(path: Path) -> str:
    """A path as a translator finds it in the tree."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def catalog_problems(found: Registry, part: str, language: Language) -> list[str]:
    """One language's catalog of one part, against the root language's catalog."""
    path = found.folder(part, language) / f"{language.code}.po"
    if not path.exists():
        return []  # nothing translated yet: the coverage report says so
    where = shown(path)
    root = load_domain(found.folder(part)).get(found.root.code, {})
    problems = [] if language.source else po_review_problems(path, where)
    for key, text in read_catalog(path).items():
        if key not in root:
            continue  # never shown; unknown_keys() warns about it
        problems += text_problems(f"{where} {key}", root[key], text)
        if not language.source:
            problems += term_problems(f"{where} {key}", root[key], text, language.code)
    return problems


def unknown_keys() -> list[str]:
    """Translated keys the root catalog lacks: never shown, so a warning (a typo, or a key the
    code has not added yet), not a failure."""
    found = registry()
    warnings = []
    for language in found:
        for part in CATALOG_PARTS if language.code != found.root.code else ():
            path = found.folder(part, language) / f"{language.code}.po"
            root = load_domain(found.folder(part)).get(found.root.code, {})
            keys = read_catalog(path) if path.exists() else {}
            warnings += [
                f"{shown(path)} {key}: no such key in {found.root.code}.po (a typo?)"
                for key in keys
                if key not in root
            ]
    return warnings


def text_problems(where: str, original: str, text: str) -> list[str]:
    """Placeholders exactly as in the original, and only GSM-7 characters."""
    problems = []
    mine, theirs = placeholders(text), placeholders(original)
    if mine is None:
        problems.append(f"{where}: unbalanced brace; write placeholders as {{name}}")
    elif theirs is not None and mine != theirs:
        want = ", ".join("{" + p + "}" for p in sorted(theirs)) or "none"
        problems.append(f"{where}: placeholders must be {want} as in the original")
    for char, replacement in non_gsm_characters(text):
        fix = f'use "{replacement}"' if replacement is not None else "remove it"
        problems.append(f"{where}: character {char!r} is not GSM-7; {fix}")
    return problems


def placeholders(text: str) -> set[str] | None:
    """The {names} in a text, or None when its braces do not parse."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def lesson_term_problems(found: Registry, language: Language) -> list[str]:
    """The glossary rule on every translated lesson text, variant, title and summary."""
    try:
        catalog = load_catalog()
    except ContentError:
        return []  # the lesson checker reports unreadable files
    problems = []
    for (track, code), lessons in catalog.tracks.items():
        if code != language.code:
            continue
        originals = {x.id: x for x in catalog.tracks.get((track, found.root.code), ())}
        for lesson in lessons:
            if lesson.id in originals:
                problems += _lesson_terms(
                    f"{track}.{code}.toml {lesson.id}", originals[lesson.id], lesson
                )
    return problems


def _lesson_terms(where: str, original, lesson) -> list[str]:
    """One lesson's texts against the original's."""
    pairs = [("title", original.title, lesson.title), ("text", original.text, lesson.text)]
    pairs += [
        (f"variant {band}", original.variants[band], text)
        for band, text in lesson.variants.items()
        if band in original.variants
    ]
    if original.summary and lesson.summary:
        pairs.append(("summary", original.summary, lesson.summary))
    return [
        problem
        for label, source, text in pairs
        for problem in term_problems(f"{where} {label}", source, text, lesson.language)
    ]
