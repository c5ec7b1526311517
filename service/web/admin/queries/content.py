"""The lesson catalog as the Content page lists it: every lesson with its SMS cost in segments."""

from dataclasses import dataclass

from flask import current_app

from messages.gsm import segment_info
from messages.lessons import TRACKS, load_catalog, own_services


@dataclass(frozen=True)
class LessonRow:
    """One lesson in one language: where it sits, what it says, how many SMS it takes."""

    track: str
    language: str
    number: int
    id: str
    title: str
    topic: str
    segments: int
    encoding: str
    variant_segments: dict
    text: str

    @property
    def most_segments(self):
        """The costliest version of this lesson (default text or any age-band variant)."""
        return max([self.segments, *self.variant_segments.values()])


def lesson_rows(track=None, language=None):
    """Every lesson by track then language then position, optionally narrowed."""
    catalog = load_catalog()
    rows = []
    ordered = sorted(catalog.tracks.items(), key=lambda item: (_track_order(item[0][0]), item[0]))
    for (each_track, each_language), lessons in ordered:
        if track and each_track != track or language and each_language != language:
            continue
        rows += [_row(lesson) for lesson in lessons]
    return rows


def _row(lesson):
    info = segment_info(lesson.text)
    variants = {band: segment_info(text).segments for band, text in sorted(lesson.variants.items())}
    return LessonRow(
        track=lesson.track,
        language=lesson.language,
        number=lesson.position + 1,
        id=lesson.id,
        title=lesson.title,
        topic=lesson.topic,
        segments=info.segments,
        encoding=info.encoding,
        variant_segments=variants,
        text=lesson.text,
    )


def _track_order(track):
    """Tracks in the programme's order (caregivers first), unknown ones last."""
    return (TRACKS.index(track) if track in TRACKS else len(TRACKS), track)


def tracks_and_languages():
    """The tracks and languages the catalog holds, for the filter menus."""
    keys = load_catalog().tracks
    return sorted({t for t, _ in keys}, key=_track_order), sorted({lang for _, lang in keys})


@dataclass(frozen=True)
class TrackSummary:
    """One track in one language at a glance."""

    track: str
    language: str
    lessons: int
    segments: int
    multi_part: int
    ucs2: int


def summaries(rows):
    """Per (track, language): how many lessons, SMS parts in all, and the costly ones."""
    found = {}
    for row in rows:
        found.setdefault((row.track, row.language), []).append(row)
    return [
        TrackSummary(
            track=track,
            language=language,
            lessons=len(group),
            segments=sum(r.segments for r in group),
            multi_part=sum(1 for r in group if r.most_segments > 1),
            ucs2=sum(1 for r in group if r.encoding != "GSM-7"),
        )
        for (track, language), group in found.items()
    ]


SERVICE_LABELS = {"uptd_ppa": "UPTD PPA", "puskesmas": "Puskesmas", "hotline": "Hotline"}


@dataclass(frozen=True)
class LocalService:
    """One local service as the village's lessons name it, and where that name comes from."""

    label: str
    placeholder: str
    value: str
    origin: str


def village_services(village):
    """The names {uptd_ppa}, {puskesmas}, {hotline} take in this village's texts."""
    found = load_catalog().local_origins(
        village.name,
        village.province,
        own_services(village),
        {"hotline": current_app.config["CHILD_HOTLINE"]},
    )
    return [
        LocalService(SERVICE_LABELS[key], "{" + key + "}", value, origin)
        for key, (value, origin) in found.items()
    ]


@dataclass(frozen=True)
class PackRow:
    """One regional pack at a glance: where, which zone, what it changes and adds."""

    slug: str
    scope: str
    name: str
    zone: str
    languages: list
    overrides: list  # lesson ids it replaces
    lessons: list  # its own lessons (Indonesian, else first language)


def pack_rows():
    """Every regional pack, one row each, in file order."""
    catalog = load_catalog()
    rows = []
    for slug in dict.fromkeys(p.slug for p in catalog.packs):
        files = [p for p in catalog.packs if p.slug == slug]
        first = min(files, key=lambda p: p.language != catalog.root)  # Indonesian, else the first
        replaced = sorted({lesson_id for p in files for lesson_id, _ in p.overrides})
        rows.append(
            PackRow(
                slug,
                first.scope,
                first.name,
                first.zone,
                [p.language for p in files],
                replaced,
                list(first.lessons),
            )
        )
    return rows
