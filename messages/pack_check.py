"""What a regional pack must be: a known place and zone, overrides of real lessons, lessons of
its own anchored in their track, every text within the SMS limits, and every local service
it names ({uptd_ppa}, {puskesmas}, {hotline}) filled for each village that uses it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from messages.lesson_data import AGE_BANDS, SCOPES, TRACKS, ZONES, Pack
from messages.lesson_rules import Rules, check_lesson, sms_texts
from messages.placeholders import LOCAL_SERVICES, PLACEHOLDERS, first_value, used
from messages.textcheck import char_problems, check_text, wording_problems

PACK_KEYS = ("scope", "name", "language", "zone")
ZONE_RE = re.compile(r"(?<!\w)(WIB|WITA|WIT)(?!\w)")


@dataclass(frozen=True)
class Place:
    """A village in the database: where it is and the local services its admin has set."""

    name: str
    province: str
    services: dict[str, str | None] = field(default_factory=dict, hash=False)


def check_packs(catalog, raw: dict[Path, dict], languages, rules: Rules, places=None) -> list[str]:
    """Every problem in the pack files; with places (the database's villages), per village."""
    problems = []
    for file, data in raw.items():
        pack = next(p for p in catalog.packs if p.file.endswith("/" + file.name))
        problems += _header_problems(pack, file, data, languages)
        problems += _placeholder_value_problems(pack)
        problems += _override_problems(pack, data, catalog, rules)
        problems += _own_lesson_problems(pack, catalog, rules)
        problems += _zone_problems(pack)
    problems += _parity_problems(catalog)
    if places is None:
        return problems + _unfilled_by_defaults(catalog)
    return problems + _unfilled_for_villages(catalog, places)


def _header_problems(pack: Pack, file: Path, data: dict, languages) -> list[str]:
    """Scope, place, language and zone, and a file named <slug>.<language>.toml."""
    problems = [f"{pack.file}: missing {key}" for key in PACK_KEYS if not data.get(key)]
    if pack.scope and pack.scope not in SCOPES:
        problems.append(f"{pack.file}: scope must be one of {', '.join(SCOPES)}")
    if pack.language and pack.language not in languages:
        problems.append(f"{pack.file}: unknown language {pack.language!r}")
    if pack.zone and pack.zone not in ZONES:
        problems.append(f"{pack.file}: zone {pack.zone!r}; use one of {', '.join(ZONES)}")
    if pack.language and file.name != f"{pack.slug}.{pack.language}.toml":
        problems.append(f"{pack.file}: should be named {pack.slug}.{pack.language}.toml")
    return problems


def _placeholder_value_problems(pack: Pack) -> list[str]:
    """[placeholders] names only the local services, each short and GSM-7."""
    problems = []
    for key, value in pack.placeholders.items():
        where = f"{pack.file} [placeholders]"
        if key not in LOCAL_SERVICES:
            problems.append(
                f"{where}: {key!r} is not a local service; use one of " + ", ".join(LOCAL_SERVICES)
            )
            continue
        problems += _value_problems(where, key, value)
    return problems


def _value_problems(where: str, key: str, value: str) -> list[str]:
    """A local service's name fits its worst-case length and travels in GSM-7."""
    problems = char_problems(where, key, value)
    if len(value) > PLACEHOLDERS[key]:
        problems.append(f"{where}: {key} is {len(value)} characters; at most {PLACEHOLDERS[key]}")
    return problems


def _override_problems(pack: Pack, data: dict, catalog, rules: Rules) -> list[str]:
    """Each [[override]]: a known lesson, a known band, once, with a sound text."""
    known = {x.id for lessons in catalog.tracks.values() for x in lessons}
    known |= {x.id for p in catalog.packs for x in p.lessons}
    problems, seen = [], set()
    for index, entry in enumerate(data.get("override") or []):
        lesson_id, band = entry.get("lesson"), entry.get("band")
        where = f"{pack.file} {lesson_id or f'override #{index + 1}'}"
        if lesson_id not in known:
            problems.append(f"{where}: override names unknown lesson {lesson_id!r}")
        if band is not None and band not in AGE_BANDS:
            problems.append(f"{where}: unknown band {band!r}; use one of {', '.join(AGE_BANDS)}")
        if (lesson_id, band) in seen:
            problems.append(f"{where}: overridden twice for band {band or 'any'}")
        seen.add((lesson_id, band))
        text = entry.get("text").strip() if isinstance(entry.get("text"), str) else ""
        problems += check_text(where, "override text", text, rules.prefix)
        problems += wording_problems(where, "override text", text, pack.language)
    return problems


def _own_lesson_problems(pack: Pack, catalog, rules: Rules) -> list[str]:
    """A pack's own lessons: a known track, an anchor in it, a unique prefixed id, sound texts."""
    base_ids = {x.id for lessons in catalog.tracks.values() for x in lessons}
    problems = []
    for lesson in pack.lessons:
        where = f"{pack.file} {lesson.id or 'lesson'}"
        if lesson.track not in TRACKS:
            problems.append(
                f"{where}: unknown track {lesson.track!r}; use one of " + ", ".join(TRACKS)
            )
        if not lesson.id.startswith(f"{pack.slug}-"):
            problems.append(f"{where}: id should start with the pack's name, {pack.slug}-")
        if lesson.id in base_ids or _defined_twice(catalog, pack, lesson.id):
            problems.append(f"{where}: duplicate id (ids are unique across all lessons and packs)")
        if lesson.after not in _track_ids(catalog, lesson.track):
            problems.append(
                f"{where}: after = {lesson.after!r} is not a lesson of the {lesson.track} track"
            )
        problems += check_lesson(pack.file, lesson, rules)
    return problems


def _defined_twice(catalog, pack: Pack, lesson_id: str) -> bool:
    """The id is also an own lesson of another pack, or twice in this one."""
    same = [p for p in catalog.packs if p.language == pack.language]
    return sum(1 for p in same for x in p.lessons if x.id == lesson_id) > 1


def _track_ids(catalog, track: str) -> set[str]:
    """Lessons a pack lesson may follow: the track's own and other packs' lessons on it."""
    ids = {x.id for (t, _), lessons in catalog.tracks.items() if t == track for x in lessons}
    return ids | {x.id for p in catalog.packs for x in p.lessons if x.track == track}


def _zone_problems(pack: Pack) -> list[str]:
    """Times in a pack's texts are given in the pack's own zone."""
    problems = []
    for where, label, text in _pack_texts(pack):
        for zone in sorted(set(ZONE_RE.findall(text)) - {pack.zone}):
            problems.append(f"{where}: {label} gives a time in {zone}; this pack is {pack.zone}")
    return problems


def _pack_texts(pack: Pack):
    """(where, label, text) of every SMS text a pack holds."""
    for (lesson_id, band), text in pack.overrides.items():
        yield f"{pack.file} {lesson_id}", f"override{f' {band}' if band else ''}", text
    for lesson in pack.lessons:
        for label, text in sms_texts(lesson):
            yield f"{pack.file} {lesson.id}", label, text


def _parity_problems(catalog) -> list[str]:
    """A pack's language files add the same lessons, in the same order, after the same ones."""
    problems = []
    for slug in dict.fromkeys(p.slug for p in catalog.packs):
        files = [p for p in catalog.packs if p.slug == slug]
        first = files[0]
        shape = [(x.id, x.track, x.after) for x in first.lessons]
        problems += [
            f"{other.file}: its own lessons differ from {first.file} (ids, tracks, order, after)"
            for other in files[1:]
            if [(x.id, x.track, x.after) for x in other.lessons] != shape
        ]
    return problems


def local_keys(catalog, slug: str) -> set[str]:
    """The local services a pack's texts name, in any of its languages."""
    texts = (t for p in catalog.packs if p.slug == slug for _, _, t in _pack_texts(p))
    return {key for text in texts for key in used(text)} & set(LOCAL_SERVICES)


def _unfilled_by_defaults(catalog) -> list[str]:
    """With no villages to ask: the pack's own defaults fill every local service it names."""
    problems = []
    for slug in dict.fromkeys(p.slug for p in catalog.packs):
        defaults = catalog.pack_defaults(slug)
        problems += [
            f'packs/{slug}: {{{key}}} has no default; add {key} = "..." under [placeholders]'
            for key in sorted(local_keys(catalog, slug))
            if not first_value(key, defaults)
        ]
    return problems


def _unfilled_for_villages(catalog, places) -> list[str]:
    """Each village: what its admin set is valid, and its packs' local services are filled."""
    problems = []
    for place in places:
        where = f"village {place.name}"
        for key, value in place.services.items():
            problems += _value_problems(where, key, value or "")
        slugs = catalog.slugs_for(place.name, place.province)
        chain = [place.services, *(catalog.pack_defaults(s) for s in slugs)]
        for slug in slugs:
            problems += [
                f"{where} (pack {slug}): {{{key}}} is not filled; set it on the village page "
                f"or under [placeholders] in packs/{slug}"
                for key in sorted(local_keys(catalog, slug))
                if not first_value(key, *chain)
            ]
    return problems
