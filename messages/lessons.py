"""Lesson catalog: loads the per-track TOML files, renders SMS bodies and checks the content.

Tracks are written in full in the source languages (id, en). A translated language may cover
only some lessons: each lesson it lacks is taken, lesson by lesson, from the next language of
its fallback chain in the language registry (jv -> id), so a track always runs in full.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from messages.gsm import non_gsm_characters, segment_info, to_gsm
from service import languages as registry
from service.review import lesson_review_problems

TRACKS = registry.TRACKS
LANGUAGES = registry.Codes(sources_only=True)  # the languages every track is written in
AGE_BANDS = ("0-5", "6-11", "12-17")
SCOPES = ("province", "village")

DEFAULT_PATH = Path(__file__).with_name("lessons")
MIN_LESSONS = {"caregiver": 24, "migrant": 12, "adolescent": 8, "facilitator": 8}
MAX_TITLE = 30
MAX_SEGMENTS = 2
MAX_SEPTETS = 306
# Worst-case lengths of what fills each placeholder, used to check lengths.
PLACEHOLDERS = {"name": 15, "village": 20, "ussd": 12}
PLACEHOLDER_RE = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
BRACED_RE = re.compile(r"\{[^{}]*\}")
_GAP = "\x00"  # marks where an empty placeholder was, so only its own spacing is tidied


class ContentError(ValueError):
    """Raised when the lesson files cannot be turned into a catalog at all."""


def age_band(age_years: int) -> str | None:
    """The lesson variant band for a child's age in whole years; adults get none."""
    if age_years < 0:
        raise ValueError(f"age cannot be negative: {age_years}")
    for band in AGE_BANDS:
        low, high = (int(part) for part in band.split("-"))
        if low <= age_years <= high:
            return band
    return None


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


def _norm(name: str | None) -> str:
    """Compare place names loosely, so 'nusa tenggara  barat' finds 'Nusa Tenggara Barat'."""
    return " ".join((name or "").split()).casefold()


def fill_placeholders(text: str, **values: object) -> str:
    """Fill {name}/{village}/{ussd}; a missing value vanishes with the space before it."""
    clean = {k: " ".join(to_gsm(str(v)).split()) for k, v in values.items() if v is not None}
    out = PLACEHOLDER_RE.sub(lambda m: clean.get(m.group(1)) or _GAP, text)
    out = re.sub(rf"(^|\n){_GAP}[ ,]*", r"\1", out)  # "{name}, coba" -> "coba"
    out = re.sub(rf" *{_GAP} *(?=[,.!?;:])", "", out)  # "Halo {name}," -> "Halo,"
    return re.sub(rf" *{_GAP} *", " ", out).strip()  # "di {village} ini" -> "di ini"


@dataclass(frozen=True)
class Catalog:
    """All lessons by track and language, plus regional overrides keyed by place.

    `tracks` holds what the files say; `lessons()` gives a track as a language's reader gets
    it, each lesson missing in that language taken from the next one of its `chains` entry.
    """

    path: Path
    tracks: dict[tuple[str, str], list[Lesson]]
    overrides: dict[tuple[str, str, str, str, str | None], str] = field(default_factory=dict)
    chains: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    root: str = "id"  # the language whose files fix each track's lessons and order
    _resolved: dict = field(default_factory=dict, compare=False, repr=False)

    def lessons(self, track: str, language: str) -> list[Lesson]:
        """Lessons of a track in sending order, each in the first language of the chain."""
        if (track, language) not in self._resolved:
            self._resolved[(track, language)] = self._resolve(track, language)
        return list(self._resolved[(track, language)])

    def _resolve(self, track: str, language: str) -> list[Lesson]:
        """The track's lessons for a reader of `language`, positions as in the root language."""
        order = self.tracks.get((track, self.root)) or self.tracks.get((track, language))
        if order is None:
            raise KeyError(f"no lessons for track {track!r} in language {language!r}")
        chain = self.chains.get(language)
        if chain is None and (track, language) in self.tracks:  # files of an unknown language
            return list(self.tracks[(track, language)])
        chain = chain or (self.root,)  # a code the registry no longer knows reads the root
        written = [{x.id: x for x in self.tracks.get((track, code), ())} for code in chain]
        picked = (next((by_id[x.id] for by_id in written if x.id in by_id), x) for x in order)
        return [replace(lesson, position=i) for i, lesson in enumerate(picked)]

    def count(self, track: str) -> int:
        """How many lessons a track has (its lessons in the root language)."""
        if (track, self.root) in self.tracks:
            return len(self.tracks[(track, self.root)])
        return max((len(v) for (t, _), v in self.tracks.items() if t == track), default=0)

    def lesson(self, track: str, position: int, language: str) -> Lesson:
        """The lesson at a 0-based position; IndexError past the end of the track."""
        if position < 0:
            raise IndexError(f"negative lesson position {position}")
        return self.lessons(track, language)[position]

    def _override(self, lesson: Lesson, scope: str, place: str | None, band: str | None):
        """A band-specific override beats a whole-lesson override for the same place."""
        if not place:
            return None
        key = (scope, _norm(place), lesson.language, lesson.id)
        return self.overrides.get((*key, band)) or self.overrides.get((*key, None))

    def pick_text(self, lesson: Lesson, band=None, village=None, province=None) -> str:
        """Village override > province override > age-band variant > default text."""
        return (
            self._override(lesson, "village", village, band)
            or self._override(lesson, "province", province, band)
            or lesson.variants.get(band or "")
            or lesson.text
        )

    def render(self, track, position, language, band=None, village=None, province=None, **values):
        """The final SMS body for one recipient, placeholders filled."""
        lesson = self.lesson(track, position, language)
        text = self.pick_text(lesson, band, village, province)
        return fill_placeholders(text, village=village, **values)

    def render_summary(self, position, language, village=None, **values) -> str:
        """The next-day summary of a facilitator session, for caregivers who missed it."""
        lesson = self.lesson("facilitator", position, language)
        return fill_placeholders(lesson.summary or "", village=village, **values)


# ---------------------------------------------------------------- reading files


@dataclass
class _Raw:
    """Parsed TOML files, kept raw so the checker can report every problem at once."""

    files: dict[Path, dict] = field(default_factory=dict)
    overrides: dict[Path, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _parse(file: Path, problems: list[str]) -> dict | None:
    """One TOML file, or None with a problem noted."""
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{file.name}: cannot be read as TOML: {exc}")
        return None


def _read(path: Path, extra: tuple[Path, ...] = ()) -> _Raw:
    """Every lesson and override file under a catalog directory (and extra language folders)."""
    raw = _Raw()
    if not path.is_dir():
        raw.problems.append(f"{path}: lesson directory not found")
        return raw
    for file in [
        *sorted(path.glob("*.toml")),
        *(f for d in extra for f in sorted(d.glob("*.toml"))),
    ]:
        if (data := _parse(file, raw.problems)) is not None:
            raw.files[file] = data
    for file in sorted((path / "overrides").glob("*.toml")):
        if (data := _parse(file, raw.problems)) is not None:
            raw.overrides[file] = data
    return raw


def _text(value: object) -> str:
    """Lesson strings without the newline TOML keeps after a multi-line string."""
    return value.strip() if isinstance(value, str) else ""


def _lesson(entry: dict, track: str, language: str, position: int) -> Lesson:
    """One [[lesson]] table as a Lesson."""
    variants = entry.get("variants") if isinstance(entry.get("variants"), dict) else {}
    return Lesson(
        id=_text(entry.get("id")),
        track=track,
        language=language,
        position=position,
        title=_text(entry.get("title")),
        topic=_text(entry.get("topic")),
        text=_text(entry.get("text")),
        variants={str(k): _text(v) for k, v in variants.items()},
        summary=_text(entry.get("summary")) or None,
    )


def _track_lessons(data: dict) -> tuple[tuple[str, str], list[Lesson]]:
    """A track file's (track, language) key and its lessons in order."""
    track, language = str(data.get("track", "")), str(data.get("language", ""))
    entries = [e for e in data.get("lesson") or [] if isinstance(e, dict)]
    return (track, language), [_lesson(e, track, language, i) for i, e in enumerate(entries)]


def _override_items(data: dict):
    """(key, text) pairs from one override file."""
    scope, place, language = data.get("scope"), _norm(data.get("name")), data.get("language")
    for entry in data.get("override") or []:
        key = (scope, place, language, entry.get("lesson"), entry.get("band"))
        yield key, _text(entry.get("text"))


def _build(path: Path, raw: _Raw, languages: registry.Registry) -> Catalog:
    """A Catalog from parsed files, with each registered language's fallback chain."""
    tracks = dict(_track_lessons(data) for data in raw.files.values())
    overrides = {k: v for data in raw.overrides.values() for k, v in _override_items(data)}
    chains = {code: languages.chain(code) for code in languages.codes()}
    root = languages.root.code
    return Catalog(path=path, tracks=tracks, overrides=overrides, chains=chains, root=root)


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The catalog at path (default: shipped lessons and the app's extra language folders)."""
    return _load_catalog(str(path) if path else None, registry.extra_dirs())


@functools.lru_cache(maxsize=16)
def _load_catalog(path: str | None, extra: tuple[str, ...]) -> Catalog:
    """Parsed once per process and registry; files change only on deploy."""
    languages = registry.load(extra)
    folder = Path(path or DEFAULT_PATH)
    raw = _read(folder, () if path else _extra_folders(languages))
    if raw.problems:
        raise ContentError("; ".join(raw.problems))
    return _build(folder, raw, languages)


def _extra_folders(languages: registry.Registry) -> tuple[Path, ...]:
    """The lesson folders of the languages added from extra folders."""
    return tuple(d for d in languages.part_folders(registry.LESSON_PART)[1:] if d.is_dir())


# ---------------------------------------------------------------- checking


def _worst_case(text: str) -> str:
    """The text with each placeholder at its longest, to price the costliest send."""
    return PLACEHOLDER_RE.sub(lambda m: "x" * PLACEHOLDERS[m.group(1)], text)


def check_text(where: str, label: str, text: str) -> list[str]:
    """Every problem with one SMS body: empty, characters, placeholders, length."""
    if not text:
        return [f"{where}: {label} is empty"]
    problems = _char_problems(where, label, text)
    problems += _placeholder_problems(where, label, text)
    info = segment_info(to_gsm(_worst_case(text)))
    if info.units > MAX_SEPTETS or info.segments > MAX_SEGMENTS:
        problems.append(
            f"{where}: {label} is {info.units} septets with placeholders at their longest "
            f"({info.segments} SMS); the limit is {MAX_SEPTETS} (2 SMS)"
        )
    return problems


def _char_problems(where: str, label: str, text: str) -> list[str]:
    """Sentences naming each non-GSM character and what to write instead."""
    problems = []
    for char, replacement in non_gsm_characters(text):
        fix = f'use "{replacement}"' if replacement is not None else "remove it"
        problems.append(f"{where}: character {char!r} in {label} is not GSM-7; {fix}")
    return problems


def _placeholder_problems(where: str, label: str, text: str) -> list[str]:
    """Unknown {names} and stray braces that would reach a phone verbatim."""
    rest = PLACEHOLDER_RE.sub("", text)
    problems = [
        f"{where}: broken placeholder {m} in {label}; allowed: "
        + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        for m in BRACED_RE.findall(rest)
    ]
    if re.search(r"[{}]", BRACED_RE.sub("", rest)):
        problems.append(f"{where}: unbalanced brace in {label}")
    return problems


def _check_lesson(file: str, lesson: Lesson) -> list[str]:
    """Fields, title, texts, variants and summary of one lesson."""
    where = f"{file} {lesson.id or f'lesson #{lesson.position + 1}'}"
    problems = [f"{where}: missing {k}" for k in ("id", "title", "topic") if not getattr(lesson, k)]
    if len(lesson.title) > MAX_TITLE:
        problems.append(f"{where}: title is {len(lesson.title)} characters; at most {MAX_TITLE}")
    problems += _char_problems(where, "title", lesson.title)
    problems += check_text(where, "text", lesson.text)
    for band, text in lesson.variants.items():
        if band not in AGE_BANDS:
            problems.append(f"{where}: unknown band {band!r}; use one of {', '.join(AGE_BANDS)}")
        problems += check_text(where, f"variant {band}", text)
    if lesson.track == "facilitator" or lesson.summary is not None:
        problems += check_text(where, "summary", lesson.summary or "")
    return problems


def _check_file_header(file: Path, data: dict, languages: registry.Registry) -> list[str]:
    """A track file says which track and language it holds, matching its name."""
    track, language = data.get("track"), data.get("language")
    problems = []
    if track not in TRACKS:
        problems.append(f"{file.name}: unknown track {track!r}; use one of {', '.join(TRACKS)}")
    if language not in languages:
        problems.append(
            f"{file.name}: unknown language {language!r}; register it in service/languages.toml"
        )
    elif not languages.get(language).source:
        problems += _check_translated_header(file, data, languages.get(language))
    if file.name != f"{track}.{language}.toml":
        problems.append(f"{file.name}: should be named {track}.{language}.toml")
    if not isinstance(data.get("lesson"), list) or not data["lesson"]:
        problems.append(f"{file.name}: no [[lesson]] tables")
    return problems


def _check_ids(catalog: Catalog, files: dict[tuple[str, str], str]) -> list[str]:
    """Ids unique across all tracks, within each language."""
    problems, seen = [], {}
    for (track, language), lessons in catalog.tracks.items():
        for lesson in lessons:
            key = (lesson.id, language)
            if lesson.id and key in seen:
                first = seen[key]
                problems.append(
                    f"{files[(track, language)]} {lesson.id}: duplicate id (also {first})"
                )
            seen.setdefault(key, f"{files[(track, language)]} #{lesson.position + 1}")
    return problems


def _check_translated_header(file: Path, data: dict, language: registry.Language) -> list[str]:
    """A translated file is reviewed or draft, says so, and belongs to a part it declares."""
    problems = lesson_review_problems(file.name, data)
    part = f"{registry.LESSON_PART}.{data.get('track')}"
    if data.get("track") in TRACKS and not language.covers(part):
        problems.append(
            f"{file.name}: {language.code} does not list {part} in service/languages.toml"
        )
    return problems


def _check_languages(
    catalog: Catalog, files: dict[tuple[str, str], str], languages: registry.Registry
) -> list[str]:
    """Source languages: every track, same ids in the same order, same topics and bands.

    A translated language may cover part of a track; what it has must match the source.
    """
    problems = []
    sources = [language.code for language in languages.sources()]
    for track in TRACKS:
        present = [code for code in sources if (track, code) in catalog.tracks]
        problems += [f"{track}.{code}.toml: missing" for code in sources if code not in present]
        if present:
            problems += _check_track_count(catalog, track, present[0])
        translated = [c for (t, c) in catalog.tracks if t == track and c not in sources]
        for other in present[1:]:
            problems += _compare(catalog, track, present[0], other, files)
        for other in translated if present else ():
            problems += _compare(catalog, track, present[0], other, files, partial=True)
    return problems


def _check_track_count(catalog: Catalog, track: str, language: str) -> list[str]:
    """Each track needs enough lessons to run the programme."""
    have, need = len(catalog.tracks[(track, language)]), MIN_LESSONS.get(track, 0)
    if have < need:
        return [f"{track}.{language}.toml: {have} lessons; the {track} track needs at least {need}"]
    return []


def _compare(catalog: Catalog, track: str, base: str, other: str, files, partial=False):
    """Lesson-by-lesson parity of one language against the base language.

    `partial`: a translation may lack lessons (they fall back), never add its own.
    """
    a = {x.id: x for x in catalog.tracks[(track, base)]}
    b = {x.id: x for x in catalog.tracks[(track, other)]}
    problems = [
        f"{files[(track, other)]} {i}: missing (present in {base})"
        for i in a
        if i not in b and not partial
    ]
    problems += [
        f"{files[(track, other)]} {i}: not a lesson of {files[(track, base)]}"
        if partial
        else f"{files[(track, base)]} {i}: missing (present in {other})"
        for i in b
        if i not in a
    ]
    shared_a = [i for i in a if i in b]
    if shared_a != [i for i in b if i in a]:
        problems.append(f"{files[(track, other)]}: lessons not in the same order as in {base}")
    for i in shared_a:
        if a[i].topic != b[i].topic:
            problems.append(f"{files[(track, other)]} {i}: topic differs from {base}")
        if set(a[i].variants) != set(b[i].variants):
            problems.append(f"{files[(track, other)]} {i}: age-band variants differ from {base}")
    return problems


def _check_override_file(
    file: Path, data: dict, catalog: Catalog, languages: registry.Registry
) -> list[str]:
    """Scope, place, language and every override entry of one override file."""
    name = f"overrides/{file.name}"
    problems = []
    if data.get("scope") not in SCOPES:
        problems.append(f"{name}: scope must be one of {', '.join(SCOPES)}")
    if not _norm(data.get("name")):
        problems.append(f"{name}: missing name (the {data.get('scope') or 'place'})")
    if data.get("language") not in languages:
        problems.append(f"{name}: unknown language {data.get('language')!r}")
    ids = {x.id for lessons in catalog.tracks.values() for x in lessons}
    seen = set()
    for i, entry in enumerate(data.get("override") or []):
        problems += _check_override(name, i, entry, ids)
        if (key := (entry.get("lesson"), entry.get("band"))) in seen:
            problems.append(f"{name} {key[0]}: overridden twice for band {key[1] or 'any'}")
        seen.add(key)
    return problems


def _check_override(name: str, index: int, entry: dict, ids: set[str]) -> list[str]:
    """One [[override]]: known lesson, known band, a sound text."""
    lesson_id = entry.get("lesson")
    where = f"{name} {lesson_id or f'override #{index + 1}'}"
    problems = []
    if lesson_id not in ids:
        problems.append(f"{where}: override names unknown lesson {lesson_id!r}")
    band = entry.get("band")
    if band is not None and band not in AGE_BANDS:
        problems.append(f"{where}: unknown band {band!r}; use one of {', '.join(AGE_BANDS)}")
    return problems + check_text(where, "override text", _text(entry.get("text")))


def check_content(path: str | Path | None = None) -> list[str]:
    """Every problem in the lesson files, as sentences naming file and lesson id."""
    languages = registry.registry()
    folder = Path(path or DEFAULT_PATH)
    raw = _read(folder, () if path else _extra_folders(languages))
    problems = list(raw.problems)
    for file, data in raw.files.items():
        problems += _check_file_header(file, data, languages)
    catalog = _build(folder, raw, languages)
    files = {_track_lessons(d)[0]: f.name for f, d in raw.files.items()}
    for key, lessons in catalog.tracks.items():
        problems += [p for lesson in lessons for p in _check_lesson(files[key], lesson)]
    problems += _check_ids(catalog, files)
    problems += _check_languages(catalog, files, languages)
    for file, data in raw.overrides.items():
        problems += _check_override_file(file, data, catalog, languages)
    return problems


def read_lesson_files(path: str | Path | None = None) -> dict[Path, dict]:
    """The parsed track files (shipped and extra), for coverage, review and glossary reports."""
    folder = Path(path or DEFAULT_PATH)
    return _read(folder, () if path else _extra_folders(registry.registry())).files
