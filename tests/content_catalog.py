"""A small, valid lesson catalog written to a temporary folder, for the content tests to edit."""

import json
from pathlib import Path

import pytest

import messages.lessons as catalog_module
from messages.lesson_rules import MODULES
from messages.lessons import LANGUAGES, MODULE_LESSONS, TRACKS, check_content, load_catalog

PREFIX = {"caregiver": "cg", "migrant": "mg", "adolescent": "ad", "facilitator": "fs"}
TRY_THIS = {"id": "Coba ini:", "en": "Try this:"}


def toml_value(value):
    """TOML for a string, a number, a list or a flat table (JSON string escapes are TOML's)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def write_toml(path, header, tables):
    """Write header keys, then one [[key]] table per entry for each (key, entries) given."""
    lines = [f"{k} = {toml_value(v)}" for k, v in header.items()]
    for key, entries in tables.items():
        for table in entries:
            lines += ["", f"[[{key}]]"]
            lines += [f"{k} = {toml_value(v)}" for k, v in table.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def guide(steps=4, questions=3, words_each=3):
    """A session guide with this many steps and questions."""
    say = " ".join(["kata"] * words_each)
    return {
        "aim": "Caregivers leave with one thing to try.",
        "minutes": 90,
        "steps": [f"Step {i}: {say}." for i in range(1, steps + 1)],
        "questions": [f"Question {i}: {say}?" for i in range(1, questions + 1)],
        "disclosure": "Thank them, stay calm, and call the UPTD PPA or SAPA 129 today.",
    }


def make_lessons(track, language, count):
    """Short, valid lessons for a track: sourced in Indonesian, guided for facilitators."""
    lessons = []
    for i in range(1, count + 1):
        lesson = {
            "id": f"{PREFIX[track]}{i:02d}",
            "title": f"{track} {i}",
            "topic": f"topic-{i}",
            "text": f"Halo {{name}}, lesson {i} ({language}). {TRY_THIS[language]} one thing.",
        }
        if language == "id":
            lesson["sources"] = ["WHO, Guidelines on parenting interventions (2022)"]
        if track == "facilitator":
            lesson["summary"] = f"Session {i} summary for {{village}}."
            lesson["guide"] = guide()
        lessons.append(lesson)
    return lessons


def pack(scope="province", name="Nusa Tenggara Barat", language="id", zone="WITA", **tables):
    """A pack file's header and tables: pack(override=[...], lesson=[...], placeholders={})."""
    header = {"scope": scope, "name": name, "language": language, "zone": zone}
    if "placeholders" in tables:
        header["placeholders"] = tables.pop("placeholders")
    return header, tables


class Catalog:
    """A valid catalog in tmp_path, edited in place by each test before checking."""

    def __init__(self, root, minimums=MODULE_LESSONS):
        self.root = root
        self.data = {
            (t, lang): make_lessons(t, lang, minimums[t]) for t in TRACKS for lang in LANGUAGES
        }
        self.packs = {}
        self.headers = {}  # extra header keys of a track file, e.g. a translation's [review]

    def lesson(self, track, lesson_id, language="id"):
        return next(x for x in self.data[(track, language)] if x["id"] == lesson_id)

    def write(self):
        (self.root / "packs").mkdir(parents=True, exist_ok=True)
        for (track, language), lessons in self.data.items():
            header = {
                "track": track,
                "language": language,
                **self.headers.get((track, language), {}),
            }
            write_toml(self.root / f"{track}.{language}.toml", header, {"lesson": lessons})
        for name, (header, tables) in self.packs.items():
            write_toml(self.root / "packs" / name, header, tables)
        return self.root

    def problems(self, rules=MODULES, places=None):
        return check_content(self.write(), rules, places)


@pytest.fixture
def cat(tmp_path):
    return Catalog(tmp_path / "lessons")


@pytest.fixture
def shipped_as(monkeypatch):
    """Serve a catalog folder as if it were the shipped lessons (the app reads it by default)."""

    def use(root):
        monkeypatch.setattr(catalog_module, "DEFAULT_PATH", Path(root))
        load_catalog.cache_clear()
        return root

    yield use
    load_catalog.cache_clear()


FULL_GUIDE = {
    "aim": "Caregivers learn to listen calmly when a child tells them something hard, and know "
    "whom to call the same day.",
    "minutes": 90,
    "steps": [
        "Welcome everyone by name, sit in a circle and agree again on the group's rules: we "
        "listen, we do not judge, and personal stories stay in this room.",
        "Ask who tried last week's activity at home; let two or three people tell what "
        "happened, praise every attempt, and write one thing that worked on the board.",
        "Tell the short story of Rina, eleven, who tells her grandmother that a neighbour "
        "touched her; stop before the grandmother answers and ask the group what she feels.",
        "In pairs, practise the three answers a child needs to hear: I believe you, it is not "
        "your fault, and you did the right thing to tell me. Swap roles after five minutes.",
        "Show the referral card: UPTD PPA, PATBM, puskesmas and SAPA 129, with the numbers for "
        "this village; everyone copies them into their phone or onto paper.",
        "Discuss what stops people from reporting, such as shame, fear of the family or of "
        "the neighbour, and agree how the group can support a family that reports.",
        "Close with one breathing exercise, remind everyone of next week's date and topic, and "
        "stay behind for ten minutes for anyone who wants to talk alone.",
        "Note attendance by household code; send HADIR by SMS that evening.",
    ],
    "questions": [
        "What did you feel when you heard Rina's story, and what did you want to do first?",
        "Which words from a caregiver help a child keep talking, and which make them stop?",
        "Who in this village would you call first, and what would you say to them?",
        "What makes it hard for families here to report harm, and how can we help?",
        "What will you do differently this week when a child comes to you upset?",
    ],
    "disclosure": "Thank the person, stay calm and believe them; do not ask for details or "
    "confront anyone. If a child is in danger now, call 112. Today, call the UPTD PPA or SAPA "
    "129 (WhatsApp 08111-129-129) with them, and tell the person what happens next.",
}
