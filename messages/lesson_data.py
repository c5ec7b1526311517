"""What a lesson file holds, as values: lessons, session guides, reviews and regional packs."""

from __future__ import annotations

from dataclasses import dataclass, field

TRACKS = ("caregiver", "migrant", "adolescent", "facilitator")
AGE_BANDS = ("0-5", "6-11", "12-17")
SCOPES = ("province", "village")
ZONES = ("WIB", "WITA", "WIT")  # Indonesia's three time zones, as texts name them
SOURCE_LANGUAGE = "id"  # sources and bands are written here; other languages inherit them


@dataclass(frozen=True)
class Guide:
    """A facilitator session on one printed page: aim, steps, questions, what to do on harm."""

    aim: str
    minutes: int
    steps: tuple[str, ...]
    questions: tuple[str, ...]
    disclosure: str

    def words(self) -> int:
        """How many words it prints, the measure of fitting one A4 sheet."""
        parts = (self.aim, *self.steps, *self.questions, self.disclosure)
        return sum(len(part.split()) for part in parts)


@dataclass(frozen=True)
class Review:
    """Who checked a translation and when; machine translations stay drafts."""

    status: str = "draft"
    by: str = ""
    on: str = ""


@dataclass(frozen=True)
class Lesson:
    """One SMS lesson in one language, at a fixed position in its track."""

    id: str
    track: str
    language: str
    position: int
    title: str
    topic: str
    text: str
    variants: dict[str, str] = field(default_factory=dict, hash=False)
    summary: str | None = None
    sources: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()  # only for households with a child in one of these bands
    guide: Guide | None = None
    review: Review | None = None
    pack: str | None = None  # the regional pack that adds this lesson (None: every village)
    after: str | None = None  # a pack lesson is sent right after this lesson of its track


@dataclass(frozen=True)
class Pack:
    """A province's or village's regional version of the lessons, in one language."""

    slug: str
    file: str
    language: str
    scope: str
    name: str
    zone: str
    placeholders: dict[str, str] = field(default_factory=dict, hash=False)
    overrides: dict[tuple[str, str | None], str] = field(default_factory=dict, hash=False)
    lessons: tuple[Lesson, ...] = ()


def text(value: object) -> str:
    """Lesson strings without the newline TOML keeps after a multi-line string."""
    return value.strip() if isinstance(value, str) else ""


def strings(value: object) -> tuple[str, ...]:
    """A list of strings as a tuple (anything else as nothing)."""
    return tuple(text(v) for v in value) if isinstance(value, list) else ()


def guide_from(entry: object) -> Guide | None:
    """A [lesson.guide] table as a Guide; None when absent."""
    if not isinstance(entry, dict):
        return None
    minutes = entry.get("minutes")
    return Guide(
        aim=text(entry.get("aim")),
        minutes=minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else 0,
        steps=strings(entry.get("steps")),
        questions=strings(entry.get("questions")),
        disclosure=text(entry.get("disclosure")),
    )


def review_from(entry: object) -> Review | None:
    """A review table ({status, by, on}) as a Review; None when absent."""
    if not isinstance(entry, dict):
        return None
    return Review(text(entry.get("status")), text(entry.get("by")), text(str(entry.get("on", ""))))


def lesson_from(entry: dict, track: str, language: str, position: int, review=None, **extra):
    """One [[lesson]] table as a Lesson; a lesson's own review beats its file's."""
    variants = entry.get("variants") if isinstance(entry.get("variants"), dict) else {}
    return Lesson(
        id=text(entry.get("id")),
        track=track,
        language=language,
        position=position,
        title=text(entry.get("title")),
        topic=text(entry.get("topic")),
        text=text(entry.get("text")),
        variants={str(k): text(v) for k, v in variants.items()},
        summary=text(entry.get("summary")) or None,
        sources=strings(entry.get("sources")),
        bands=strings(entry.get("bands")),
        guide=guide_from(entry.get("guide")),
        review=review_from(entry.get("review")) or review,
        **extra,
    )


def pack_from(slug: str, file: str, data: dict) -> Pack:
    """A parsed pack file as a Pack (the checker reads the raw data for duplicates)."""
    language = str(data.get("language", ""))
    holders = data.get("placeholders") if isinstance(data.get("placeholders"), dict) else {}
    overrides = {
        (text(e.get("lesson")), text(e.get("band")) or None): text(e.get("text"))
        for e in data.get("override") or []
        if isinstance(e, dict)
    }
    own = [e for e in data.get("lesson") or [] if isinstance(e, dict)]
    lessons = tuple(
        lesson_from(e, text(e.get("track")), language, -1, pack=slug, after=text(e.get("after")))
        for e in own
    )
    return Pack(
        slug=slug,
        file=file,
        language=language,
        scope=text(data.get("scope")),
        name=text(data.get("name")),
        zone=text(data.get("zone")),
        placeholders={str(k): text(v) for k, v in holders.items()},
        overrides=overrides,
        lessons=lessons,
    )
