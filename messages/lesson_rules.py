"""What one lesson must be: titled, GSM-7 and short, sourced, banded right, with a session
guide that prints on one page when it is a facilitator lesson, and a sound review record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from messages.lesson_data import AGE_BANDS, SOURCE_LANGUAGE, Guide, Lesson, Review
from messages.textcheck import char_problems, check_text, faith_problems, wording_problems
from service import languages as registry
from service.brand import PREFIX

MAX_TITLE = 30
GUIDE_LANGUAGES = registry.Codes(sources_only=True)  # the source languages carry printable guides
GUIDE_WORDS = 350  # about what one A4 sheet holds at a readable size
GUIDE_STEPS = (4, 8)
GUIDE_QUESTIONS = (3, 5)
GUIDE_MINUTES = (15, 240)
REVIEW_STATUSES = ("draft", "reviewed")


@dataclass(frozen=True)
class Rules:
    """What the content check demands: the shipped content's today, the full modules' next."""

    minimums: dict[str, int] = field(default_factory=dict)
    prefix: str = PREFIX  # what the code puts in front of every text, so what it leaves
    sources: bool = True  # every Indonesian lesson names the publications behind it
    guides: bool = True  # every facilitator lesson has a printable session guide
    faith_neutral: bool = True  # base lessons assume no one faith


MODULES = Rules({"caregiver": 36, "migrant": 18, "adolescent": 16, "facilitator": 16})
SHIPPED = MODULES  # the complete modules have landed: the shipped content meets every rule


def check_lesson(file: str, lesson: Lesson, rules: Rules) -> list[str]:
    """Fields, title, texts, variants, summary and the content rules of one lesson."""
    where = f"{file} {lesson.id or f'lesson #{lesson.position + 1}'}"
    problems = [f"{where}: missing {k}" for k in ("id", "title", "topic") if not getattr(lesson, k)]
    if len(lesson.title) > MAX_TITLE:
        problems.append(f"{where}: title is {len(lesson.title)} characters; at most {MAX_TITLE}")
    problems += char_problems(where, "title", lesson.title)
    for label, text in sms_texts(lesson):
        problems += check_text(where, label, text, rules.prefix)
        problems += wording_problems(where, label, text, lesson.language)
        if rules.faith_neutral and lesson.pack is None:
            problems += faith_problems(where, label, text)
    problems += [
        f"{where}: unknown band {band!r}; use one of {', '.join(AGE_BANDS)}"
        for band in lesson.variants
        if band not in AGE_BANDS
    ]
    return problems + rule_problems(where, lesson, rules)


def sms_texts(lesson: Lesson) -> list[tuple[str, str]]:
    """(label, text) of every SMS body the lesson can become."""
    texts = [("text", lesson.text)]
    texts += [(f"variant {band}", text) for band, text in lesson.variants.items()]
    if lesson.track == "facilitator" or lesson.summary is not None:
        texts.append(("summary", lesson.summary or ""))
    return texts


def rule_problems(where: str, lesson: Lesson, rules: Rules) -> list[str]:
    """Sources, bands, session guide and review of one lesson."""
    problems = _band_problems(where, lesson.bands)
    if rules.sources and lesson.language == SOURCE_LANGUAGE:
        problems += _source_problems(where, lesson.sources)
    needs_guide = lesson.track == "facilitator" and lesson.language in GUIDE_LANGUAGES
    if lesson.guide is not None or (rules.guides and needs_guide):
        problems += guide_problems(where, lesson.guide)
    if lesson.review is not None:
        problems += review_problems(where, lesson.review)
    return problems


def _band_problems(where: str, bands: tuple[str, ...]) -> list[str]:
    """`bands` names known age bands, each once."""
    problems = [
        f"{where}: bands has unknown band {band!r}; use one of {', '.join(AGE_BANDS)}"
        for band in bands
        if band not in AGE_BANDS
    ]
    if len(set(bands)) != len(bands):
        problems.append(f"{where}: bands lists a band twice")
    return problems


def _source_problems(where: str, sources: tuple[str, ...]) -> list[str]:
    """A reviewer can check every fact: at least one named publication, none blank."""
    if not sources:
        return [f'{where}: no sources; add sources = ["<organisation>, <publication> (<year>)"]']
    if any(not source for source in sources):
        return [f"{where}: a source is blank"]
    return []


def guide_problems(where: str, guide: Guide | None) -> list[str]:
    """A session guide with every part, in the counts that fit one printed A4 sheet."""
    if guide is None:
        return [f"{where}: no session guide; add [lesson.guide] (aim, minutes, steps, ...)"]
    problems = [
        f"{where}: guide has no {part}"
        for part in ("aim", "disclosure")
        if not getattr(guide, part)
    ]
    problems += _count_problem(where, "steps", guide.steps, GUIDE_STEPS)
    problems += _count_problem(where, "questions", guide.questions, GUIDE_QUESTIONS)
    low, high = GUIDE_MINUTES
    if not low <= guide.minutes <= high:
        problems.append(f"{where}: guide minutes must be a whole number from {low} to {high}")
    if guide.words() > GUIDE_WORDS:
        problems.append(
            f"{where}: guide is {guide.words()} words; at most {GUIDE_WORDS} to print on one page"
        )
    return problems


def _count_problem(where: str, part: str, items: tuple[str, ...], bounds) -> list[str]:
    low, high = bounds
    if not low <= len(items) <= high or any(not item for item in items):
        return [f"{where}: guide has {len(items)} {part}; write {low} to {high}, none blank"]
    return []


def review_problems(where: str, review: Review) -> list[str]:
    """Draft, or reviewed by a named person on a real date; never a reviewer made up."""
    if review.status not in REVIEW_STATUSES:
        return [f"{where}: review status {review.status!r}; use draft or reviewed"]
    if review.status == "draft":
        return []
    problems = [] if review.by else [f"{where}: reviewed, but by whom? set review by"]
    if not _is_date(review.on):
        problems.append(f"{where}: reviewed, but on {review.on!r}; set review on as YYYY-MM-DD")
    return problems


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
