"""Lesson catalog: loads the per-track TOML files and regional packs, renders SMS bodies and
checks the content.

Tracks are written in full in the source languages (id, en). A translated language may cover
only some lessons: each lesson it lacks is taken, lesson by lesson, from the next language of
its fallback chain in the language registry (jv -> id), so a track always runs in full.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from messages.lesson_data import (
    AGE_BANDS,
    SOURCE_LANGUAGE,
    TRACKS,
    Lesson,
    Pack,
    lesson_from,
    pack_from,
    review_from,
)
from messages.lesson_rules import MODULES, SHIPPED, Rules, check_lesson
from messages.pack_check import Place, check_packs
from messages.placeholders import LOCAL_SERVICES, PLACEHOLDERS, fill_placeholders, first_value
from service import languages as registry
from service.review import lesson_review_problems

# Re-exported: the rest of the code reads lessons through this module.
__all__ = ["AGE_BANDS", "MODULES", "PLACEHOLDERS", "Place", "TRACKS", "fill_placeholders"]

LANGUAGES = registry.Codes(sources_only=True)  # the languages every track is written in

DEFAULT_PATH = Path(__file__).with_name("lessons")
PACKS_DIR = "packs"
# What the shipped content must hold today, and what the four complete modules hold.
MIN_LESSONS = SHIPPED.minimums
MODULE_LESSONS = MODULES.minimums


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


UNKNOWN_BIRTH_MONTH = 7  # mid-year: the least biased guess for "born in 2016"
ADULT_YEARS = 18


def age_in_years(birth_year: int, birth_month: int | None, today) -> int:
    """Whole years of age on `today`; negative for a child not born yet."""
    months = (today.year - birth_year) * 12 + today.month - (birth_month or UNKNOWN_BIRTH_MONTH)
    return months // 12


def births_bands(births, today) -> tuple[str, ...]:
    """The bands of the children under 18 among (year, month) births, youngest first."""
    ages = [age_in_years(year, month, today) for year, month in births]
    return household_bands(age for age in ages if age < ADULT_YEARS)


def household_bands(ages) -> tuple[str, ...]:
    """The distinct age bands of a household's children under 18, youngest band first."""
    found = {age_band(age) for age in ages if age >= 0} - {None}
    return tuple(band for band in AGE_BANDS if band in found)


def reaches(lesson: Lesson, bands) -> bool:
    """A lesson restricted to some bands goes only to households with a child in one of them."""
    return not lesson.bands or any(band in lesson.bands for band in bands)


def _meant(lesson: Lesson, bands) -> list[str]:
    """The household's bands a lesson is meant for (all of them unless it names its bands)."""
    return [band for band in bands if not lesson.bands or band in lesson.bands]


def _varied(lesson: Lesson, bands) -> list[str]:
    """The household's bands the lesson has its own variant for."""
    return [band for band in _meant(lesson, bands) if band in lesson.variants]


def _norm(name: str | None) -> str:
    """Compare place names loosely, so 'nusa tenggara  barat' finds 'Nusa Tenggara Barat'."""
    return " ".join((name or "").split()).casefold()


@dataclass(frozen=True)
class Catalog:
    """All lessons by track and language, plus the regional packs that adapt them to a place.

    A place (village, province) gets the track's lessons with its packs' own lessons inserted
    after their anchors; positions (what an enrollment counts) are positions in that sequence.

    `tracks` holds what the files say; `lessons()` gives a track as a language's reader gets
    it, each lesson missing in that language taken from the next one of its `chains` entry.
    """

    path: Path
    tracks: dict[tuple[str, str], list[Lesson]]
    packs: tuple[Pack, ...] = ()
    chains: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    root: str = SOURCE_LANGUAGE  # the language whose files fix each track's lessons and order
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def lessons(self, track: str, language: str) -> list[Lesson]:
        """Lessons of a track in sending order (every village's; no regional lessons), each in
        the first language of the reader's fallback chain that has it."""
        key = ("resolved", str(track), language)
        if key not in self._memo:
            self._memo[key] = self._resolve(str(track), language)
        return list(self._memo[key])

    def chain(self, language: str | None) -> tuple[str, ...]:
        """Where a reader of `language` finds a lesson: the language, then its fallbacks."""
        found = self.chains.get(language or "")
        if found is not None:
            return found
        known = any(lang == language for _, lang in self.tracks)  # files of an unknown language
        return tuple(dict.fromkeys((language, self.root))) if known else (self.root,)

    def _resolve(self, track: str, language: str) -> list[Lesson]:
        """The track's lessons for a reader of `language`, positions as in the root language."""
        order = self.tracks.get((track, self.root)) or self.tracks.get((track, language))
        if order is None:
            raise KeyError(f"no lessons for track {track!r} in language {language!r}")
        if language not in self.chains and (track, language) in self.tracks:
            return list(self.tracks[(track, language)])
        written = [{x.id: x for x in self.tracks.get((track, c), ())} for c in self.chain(language)]
        picked = (next((by_id[x.id] for by_id in written if x.id in by_id), x) for x in order)
        return [replace(lesson, position=i) for i, lesson in enumerate(picked)]

    def count(self, track: str, village=None, province=None) -> int:
        """How many lessons a track has for a place (the same in every language)."""
        return len(self._ids(str(track), village, province))

    def lesson(self, track: str, position: int, language: str, village=None, province=None):
        """The lesson at a 0-based position; IndexError past the end of the track."""
        if position < 0:
            raise IndexError(f"negative lesson position {position}")
        return self.sequence(track, language, village, province)[position]

    def sequence(self, track, language, village=None, province=None) -> list[Lesson]:
        """The lessons a place receives on a track, in order, positioned in that order."""
        track = str(track)
        key = ("seq", track, language, _norm(village), _norm(province))
        if key not in self._memo:
            self.lessons(track, language)  # KeyError for a language the track lacks
            ids = self._ids(track, village, province)
            found = (self._by_id(track, lesson_id, language) for lesson_id in ids)
            self._memo[key] = [replace(x, position=i) for i, x in enumerate(found)]
        return self._memo[key]

    def position_of(self, track, lesson_id, village=None, province=None) -> int | None:
        """Where a lesson stands in a place's track today (packs move lessons), or None."""
        track = str(track)
        key = ("positions", track, _norm(village), _norm(province))
        if key not in self._memo:
            ids = self._ids(track, village, province)
            self._memo[key] = {found: i for i, found in enumerate(ids)}
        return self._memo[key].get(lesson_id)

    def _ids(self, track, village, province) -> list[str]:
        """Lesson ids of a place's track: the base order with pack lessons after anchors."""
        key = ("ids", track, _norm(village), _norm(province))
        if key not in self._memo:
            base = self.tracks.get((track, self.root)) or next(
                (v for (t, _), v in self.tracks.items() if t == track), []
            )
            ids, last = [x.id for x in base], {}
            for slug in reversed(self.slugs_for(village, province)):  # province first
                for own in self._pack_file(slug).lessons:
                    if own.track == track:
                        _insert(ids, last, own)
            self._memo[key] = ids
        return self._memo[key]

    def _by_id(self, track, lesson_id, language) -> Lesson:
        """A lesson of the track or of a pack, in the first language of the reader's chain that
        has it (the root language last)."""
        for lang in dict.fromkeys((*self.chain(language), self.root)):
            for lesson in self.tracks.get((track, lang), ()):
                if lesson.id == lesson_id:
                    return lesson
            for pack in self.packs:
                if pack.language == lang:
                    found = next((x for x in pack.lessons if x.id == lesson_id), None)
                    if found is not None:
                        return found
        raise KeyError(f"lesson {lesson_id!r} not found in {track} ({language})")

    def find_along(self, lesson_id: str, language: str) -> Lesson | None:
        """A lesson of any track or pack by id, in the first language of the reader's fallback
        chain that has it."""
        found = (self.find(lesson_id, lang) for lang in self.chain(language))
        return next((lesson for lesson in found if lesson is not None), None)

    def find(self, lesson_id: str, language: str) -> Lesson | None:
        """A lesson of any track or pack by id, written in exactly this language."""
        for (_, lang), lessons in self.tracks.items():
            if lang == language:
                found = next((x for x in lessons if x.id == lesson_id), None)
                if found is not None:
                    return found
        own = (x for p in self.packs if p.language == language for x in p.lessons)
        return next((x for x in own if x.id == lesson_id), None)

    def languages(self) -> list[str]:
        """Every language some lesson or pack is written in, Indonesian first."""
        found = {lang for _, lang in self.tracks} | {p.language for p in self.packs}
        return sorted(found, key=lambda lang: (lang != SOURCE_LANGUAGE, lang))

    def band_for(self, track, position, bands, village=None, province=None) -> str | None:
        """Which child a lesson speaks about when a household has several: they take turns.

        Among the lessons that have something different to say to two of the household's
        children, the child spoken to moves on one band each time, so over a cycle a
        grandmother raising a 3-year-old and a 14-year-old hears about both.
        """
        sequence = self.sequence(track, SOURCE_LANGUAGE, village, province)
        lesson = sequence[position]
        choices = _varied(lesson, bands) or _meant(lesson, bands)
        if not choices:
            return None
        turn = sum(1 for x in sequence[:position] if len(_varied(x, bands)) > 1)
        return choices[turn % len(choices)]

    # ------------------------------------------------------------ regional packs

    def slugs_for(self, village=None, province=None) -> list[str]:
        """The packs serving a place, most local first (a village's, then its province's)."""
        wanted = (("village", _norm(village)), ("province", _norm(province)))
        slugs = []
        for scope, place in wanted:
            for pack in self.packs:
                if place and pack.scope == scope and _norm(pack.name) == place:
                    slugs.append(pack.slug)
        return list(dict.fromkeys(slugs))

    def _pack_file(self, slug, language=SOURCE_LANGUAGE) -> Pack:
        """A pack in a language, else in Indonesian, else in whatever it is written in."""
        files = [p for p in self.packs if p.slug == slug]
        return min(files, key=lambda p: (p.language != language, _source_first(p)))

    def packs_in(self, language, village=None, province=None) -> list[Pack]:
        """The place's packs written in this language, most local first."""
        found = (self._pack_file(s, language) for s in self.slugs_for(village, province))
        return [pack for pack in found if pack.language == language]

    def overrides_of(self, lesson_id: str) -> list[tuple[Pack, str | None, str]]:
        """(pack, band, text) for every regional text replacing this lesson, in any language."""
        return [
            (pack, band, text)
            for pack in self.packs
            for (target, band), text in pack.overrides.items()
            if target == lesson_id
        ]

    def _override(self, lesson: Lesson, band, village, province) -> str | None:
        """The most local pack text for this lesson; a band's own beats the whole lesson's."""
        for pack in self.packs_in(lesson.language, village, province):
            text = pack.overrides.get((lesson.id, band)) or pack.overrides.get((lesson.id, None))
            if text:
                return text
        return None

    def pick_text(self, lesson: Lesson, band=None, village=None, province=None) -> str:
        """Village pack > province pack > age-band variant > default text."""
        return (
            self._override(lesson, band, village, province)
            or lesson.variants.get(band or "")
            or lesson.text
        )

    def local_services(self, village=None, province=None, own=None, defaults=None) -> dict:
        """What fills {uptd_ppa}, {puskesmas}, {hotline}: set on the village > its packs'
        defaults (village pack, then province pack) > the deployment's > the built-in names."""
        found = self.local_origins(village, province, own, defaults)
        return {key: value for key, (value, _) in found.items()}

    def local_origins(self, village=None, province=None, own=None, defaults=None) -> dict:
        """{key: (value, where it came from)}, so the dashboard can say why a name is used."""
        chain = [("village", own)]
        chain += [
            (f"pack {slug}", self.pack_defaults(slug)) for slug in self.slugs_for(village, province)
        ]
        chain += [("deployment default", defaults), ("built-in default", LOCAL_SERVICES)]
        found = {}
        for key in LOCAL_SERVICES:
            origin = next(name for name, values in chain if first_value(key, values))
            found[key] = (first_value(key, dict(chain)[origin]), origin)
        return found

    def pack_defaults(self, slug: str) -> dict[str, str]:
        """A pack's [placeholders], merged over its language files (Indonesian's first)."""
        files = sorted((p for p in self.packs if p.slug == slug), key=_source_first)
        merged: dict[str, str] = {}
        for pack in files:
            merged = {**pack.placeholders, **merged}
        return merged

    def zone(self, village=None, province=None) -> str | None:
        """The time-zone label the place's most local pack writes its times in."""
        slugs = self.slugs_for(village, province)
        return self._pack_file(slugs[0]).zone if slugs else None

    # ------------------------------------------------------------ rendering

    def render(self, track, position, language, band=None, village=None, province=None, **values):
        """The final SMS body for one recipient, placeholders filled."""
        lesson = self.lesson(track, position, language, village, province)
        text = self.pick_text(lesson, band, village, province)
        given = {k: v for k, v in values.items() if v is not None}
        filled = {**self.local_services(village, province), **given}
        return fill_placeholders(text, village=village, **filled)

    def render_summary(self, position, language, village=None, province=None, **values) -> str:
        """The next-day summary of a facilitator session, for caregivers who missed it."""
        lesson = self.lesson("facilitator", position, language, village, province)
        given = {k: v for k, v in values.items() if v is not None}
        filled = {**self.local_services(village, province), **given}
        return fill_placeholders(lesson.summary or "", village=village, **filled)


def own_services(village) -> dict:
    """What a village's admin has set for each local service (None when unset)."""
    return {key: getattr(village, key, None) for key in LOCAL_SERVICES}


def _source_first(pack: Pack) -> tuple[bool, str]:
    """Order a pack's files Indonesian first, then by language."""
    return pack.language != SOURCE_LANGUAGE, pack.language


def _insert(ids: list[str], last: dict[str, str], own: Lesson) -> None:
    """Put a pack lesson after its anchor (after earlier ones on the same anchor); else last."""
    anchor = last.get(own.after, own.after)
    at = ids.index(anchor) + 1 if anchor in ids else len(ids)
    ids.insert(at, own.id)
    last[own.after] = own.id


# ---------------------------------------------------------------- reading files


@dataclass
class _Raw:
    """Parsed TOML files, kept raw so the checker can report every problem at once."""

    files: dict[Path, dict] = field(default_factory=dict)
    packs: dict[Path, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _parse(file: Path, problems: list[str], shown: str | None = None) -> dict | None:
    """One TOML file, or None with a problem noted."""
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{shown or file.name}: cannot be read as TOML: {exc}")
        return None


def _read(path: Path, extra: tuple[Path, ...] = ()) -> _Raw:
    """Every lesson and pack file under a catalog directory (and extra language folders)."""
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
    for file in sorted((path / PACKS_DIR).glob("*.toml")):
        if (data := _parse(file, raw.problems, f"{PACKS_DIR}/{file.name}")) is not None:
            raw.packs[file] = data
    raw.problems += [
        f"overrides/{file.name}: regional overrides now live in {PACKS_DIR}/ "
        f"(move it to {PACKS_DIR}/{file.name} and add its zone)"
        for file in sorted((path / "overrides").glob("*.toml"))
    ]
    return raw


def _track_lessons(data: dict) -> tuple[tuple[str, str], list[Lesson]]:
    """A track file's (track, language) key and its lessons in order."""
    track, language = str(data.get("track", "")), str(data.get("language", ""))
    review = review_from(data.get("review"))
    entries = [e for e in data.get("lesson") or [] if isinstance(e, dict)]
    lessons = [lesson_from(e, track, language, i, review) for i, e in enumerate(entries)]
    return (track, language), lessons


def _inherit(lessons: list[Lesson], source: dict[str, Lesson]) -> list[Lesson]:
    """Sources and bands written once, in Indonesian, carried to the other languages."""
    out = []
    for lesson in lessons:
        base = source.get(lesson.id)
        if base is not None and base is not lesson:
            lesson = replace(
                lesson, sources=lesson.sources or base.sources, bands=lesson.bands or base.bands
            )
        out.append(lesson)
    return out


def _source_lessons(tracks, packs) -> dict[str, Lesson]:
    """Every Indonesian lesson by id, from the tracks and the packs."""
    found = {x.id: x for (_, lang), v in tracks.items() if lang == SOURCE_LANGUAGE for x in v}
    for pack in packs:
        if pack.language == SOURCE_LANGUAGE:
            found.update({x.id: x for x in pack.lessons})
    return found


def pack_slug(file: Path) -> str:
    """The pack a file belongs to: ntt.en.toml and ntt.id.toml are one pack, "ntt"."""
    return file.name.split(".")[0]


def _build(path: Path, raw: _Raw, languages: registry.Registry) -> Catalog:
    """A Catalog from parsed files, with each registered language's fallback chain."""
    tracks = dict(_track_lessons(data) for data in raw.files.values())
    packs = [pack_from(pack_slug(f), f"{PACKS_DIR}/{f.name}", d) for f, d in raw.packs.items()]
    source = _source_lessons(tracks, packs)
    tracks = {key: _inherit(lessons, source) for key, lessons in tracks.items()}
    packs = [replace(p, lessons=tuple(_inherit(list(p.lessons), source))) for p in packs]
    chains = {code: languages.chain(code) for code in languages.codes()}
    root = languages.root.code
    return Catalog(path=path, tracks=tracks, packs=tuple(packs), chains=chains, root=root)


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


load_catalog.cache_clear = _load_catalog.cache_clear  # type: ignore[attr-defined]


def _extra_folders(languages: registry.Registry) -> tuple[Path, ...]:
    """The lesson folders of the languages added from extra folders."""
    return tuple(d for d in languages.part_folders(registry.LESSON_PART)[1:] if d.is_dir())


# ---------------------------------------------------------------- checking


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
    """Ids unique across all tracks, within each language, and never a bare number: lesson
    rows were once keyed by position (`lesson:<enrollment>:<position>`), and a numeric id
    could take an old row's key and be dropped as already written."""
    problems, seen = [], {}
    for (track, language), lessons in catalog.tracks.items():
        for lesson in lessons:
            if lesson.id.isdigit():
                where = f"{files[(track, language)]} {lesson.id}"
                problems.append(f"{where}: an id needs a letter, not only digits (e.g. cg07)")
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
    catalog: Catalog, files: dict, rules: Rules, languages: registry.Registry
) -> list[str]:
    """Source languages: every track, same ids in the same order, same topics and bands.

    A translated language may cover part of a track (the rest falls back along its chain);
    what it has must match the source.
    """
    problems = []
    sources = [language.code for language in languages.sources()]
    for track in TRACKS:
        present = [code for code in sources if (track, code) in catalog.tracks]
        problems += [f"{track}.{code}.toml: missing" for code in sources if code not in present]
        if present:
            problems += _check_track_count(catalog, track, present[0], rules)
        translated = [c for (t, c) in catalog.tracks if t == track and c not in sources]
        for other in present[1:]:
            problems += _compare(catalog, track, present[0], other, files)
        for other in translated if present else ():
            problems += _compare(catalog, track, present[0], other, files, partial=True)
    return problems


def _check_track_count(catalog: Catalog, track: str, language: str, rules: Rules) -> list[str]:
    """Each track needs enough lessons to run the programme."""
    have, need = len(catalog.tracks[(track, language)]), rules.minimums.get(track, 0)
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
        if set(a[i].bands) != set(b[i].bands):
            problems.append(f"{files[(track, other)]} {i}: bands differ from {base}")
    return problems


def check_content(path=None, rules: Rules = SHIPPED, places=None) -> list[str]:
    """Every problem in the lesson and pack files, as sentences naming file and lesson id.

    `places` are the database's villages (when there is a database): each must have every
    local service its packs name filled; without them the packs' defaults must fill them.
    """
    languages = registry.registry()
    folder = Path(path or DEFAULT_PATH)
    raw = _read(folder, () if path else _extra_folders(languages))
    problems = list(raw.problems)
    for file, data in raw.files.items():
        problems += _check_file_header(file, data, languages)
    catalog = _build(folder, raw, languages)
    files = {_track_lessons(d)[0]: f.name for f, d in raw.files.items()}
    for key, lessons in catalog.tracks.items():
        problems += [p for lesson in lessons for p in check_lesson(files[key], lesson, rules)]
    problems += _check_ids(catalog, files)
    problems += _check_languages(catalog, files, rules, languages)
    return problems + check_packs(catalog, raw.packs, LANGUAGES, rules, places)


def read_lesson_files(path: str | Path | None = None) -> dict[Path, dict]:
    """The parsed track files (shipped and extra), for coverage, review and glossary reports."""
    folder = Path(path or DEFAULT_PATH)
    return _read(folder, () if path else _extra_folders(registry.registry())).files
