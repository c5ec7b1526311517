"""One lesson as a programme officer reads it: every version (default, age bands, regional
packs, summary) side by side in every language, its sources, and its session guide."""

from dataclasses import dataclass, field

from messages.gsm import segment_info
from messages.lessons import AGE_BANDS, Lesson, load_catalog
from messages.placeholders import worst_case
from service.brand import PREFIX


@dataclass(frozen=True)
class Text:
    """One version in one language, with the SMS parts it costs at its longest, brand included."""

    body: str
    parts: int


@dataclass(frozen=True)
class Version:
    """One row of the side-by-side table: a version of the lesson and where it is sent."""

    label: str
    where: str
    texts: dict[str, Text | None]
    regional: bool = False


@dataclass(frozen=True)
class LessonPage:
    """Everything the lesson page shows."""

    id: str
    track: str
    languages: list[str]
    lessons: dict[str, Lesson]  # by language, only those it is written in
    versions: list[Version]
    sources: tuple[str, ...]
    bands: tuple[str, ...]
    guides: list[str]  # languages with a printable session guide
    pack_where: str | None = None  # for a pack's own lesson: where it is sent
    followers: list[Lesson] = field(default_factory=list)  # pack lessons sent right after


def text_of(body):
    """A version's text and its worst-case cost."""
    if not body:
        return None
    return Text(body, segment_info(PREFIX + worst_case(body)).segments)


def lesson_page(lesson_id):
    """The page of one lesson, or None when no lesson has this id."""
    catalog = load_catalog()
    languages = catalog.languages()
    lessons = {lang: x for lang in languages if (x := catalog.find(lesson_id, lang)) is not None}
    if not lessons:
        return None
    first = next(iter(lessons.values()))
    return LessonPage(
        id=lesson_id,
        track=first.track,
        languages=languages,
        lessons=lessons,
        versions=_versions(catalog, lessons, languages),
        sources=first.sources,
        bands=first.bands,
        guides=[lang for lang, x in lessons.items() if x.guide is not None],
        pack_where=_pack_where(catalog, first),
        followers=_followers(catalog, lesson_id, languages[0]),
    )


def _versions(catalog, lessons, languages):
    """Default, each age band written, each regional text, and the summary, in that order."""
    first = next(iter(lessons.values()))
    where = "every village" if first.pack is None else "the pack's villages"
    rows = [Version("Default text", where, _by_language(lessons, languages, lambda x: x.text))]
    for band in AGE_BANDS:
        texts = _by_language(lessons, languages, lambda x, b=band: x.variants.get(b))
        if any(texts.values()):
            rows.append(Version(f"Ages {band}", f"households with a child of {band}", texts))
    rows += _regional(catalog, first.id, languages)
    texts = _by_language(lessons, languages, lambda x: x.summary)
    if any(texts.values()):
        rows.append(Version("Summary", "caregivers who missed the meeting", texts))
    return rows


def _by_language(lessons, languages, pick):
    return {lang: text_of(pick(lessons[lang])) if lang in lessons else None for lang in languages}


def _regional(catalog, lesson_id, languages):
    """One row per (pack, band) replacing the lesson, its languages side by side."""
    rows = {}
    for pack, band, body in catalog.overrides_of(lesson_id):
        key = (pack.slug, band or "")
        if key not in rows:
            label = f"{pack.name} ({pack.scope} pack, {pack.zone})"
            where = f"{_where(pack)}, {f'child of {band}' if band else 'all ages'}"
            rows[key] = Version(label, where, dict.fromkeys(languages), regional=True)
        rows[key].texts[pack.language] = text_of(body)
    return [rows[key] for key in sorted(rows)]


def _where(pack):
    return f"villages of {pack.name}" if pack.scope == "province" else f"village {pack.name}"


def _pack_where(catalog, lesson):
    """For a pack's own lesson: which places receive it, and after which lesson."""
    if lesson.pack is None:
        return None
    pack = next(p for p in catalog.packs if p.slug == lesson.pack)
    return f"{_where(pack)}, right after {lesson.after}"


def _followers(catalog, lesson_id, language):
    """Pack lessons sent right after this one in the pack's places."""
    own = [x for p in catalog.packs if p.language == language for x in p.lessons]
    return [x for x in own if x.after == lesson_id]
