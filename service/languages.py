"""The language registry: the one place that says which languages Asuh speaks.

The data is in languages.toml beside this module; an app may add languages from its own
folders (the LANGUAGE_DIRS setting), each holding a languages.toml and the language's files.
Everything else asks here: which codes exist, what a language is called, which parts it
covers, where a part's files are, and the chain a missing text falls back along.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context

from service.states import Track

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHIPPED = HERE / "languages.toml"
ENTRY_FILE = "languages.toml"  # the file an extra language folder declares its languages in
CATALOG_PARTS = ("menus", "replies", "notices", "dashboard")  # .po catalogs, one per language
TRACKS = tuple(str(track) for track in Track)  # each has a lessons.<track> part
LESSON_PART = "lessons"
CODE_RE = re.compile(r"^[a-z]{2,3}$")


class LanguageError(ValueError):
    """Raised when the registry itself is wrong: the app must not start on it."""


@dataclass(frozen=True)
class Language:
    """One language: its code, its names, its fallback and the parts it is meant to cover."""

    code: str
    name: str  # in itself: "Basa Jawa"
    name_id: str  # in Indonesian: "Bahasa Jawa"
    name_en: str  # in English: "Javanese"
    fallback: tuple[str, ...] = ()
    parts: frozenset[str] = frozenset()
    source: bool = False  # content is written in it (id, en), so it is never "reviewed"
    home: Path = ROOT  # the folder its files are found under

    def covers(self, part: str) -> bool:
        """True when the language is meant to have this part ("menus", "lessons.caregiver")."""
        return part in self.parts

    def tracks(self) -> list[str]:
        """The lesson tracks it covers, in the programme's order."""
        return [track for track in TRACKS if self.covers(f"{LESSON_PART}.{track}")]

    def label(self, ui_language: str) -> str:
        """Its name as a dashboard in `ui_language` shows it."""
        return self.name_en if ui_language == "en" else self.name_id


@dataclass(frozen=True)
class Registry:
    """Every registered language, in the order screens and forms list them."""

    languages: tuple[Language, ...]
    folders: dict[str, str] = field(hash=False)
    extra_dirs: tuple[Path, ...] = ()
    _by_code: dict[str, Language] = field(init=False, hash=False, compare=False, repr=False)
    _chains: dict[str, tuple[str, ...]] = field(init=False, hash=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Index the codes once: every SMS and USSD text asks for a chain."""
        object.__setattr__(self, "_by_code", {x.code: x for x in reversed(self.languages)})
        object.__setattr__(self, "_chains", {})

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Language]:
        return iter(self.languages)

    def __len__(self) -> int:
        return len(self.languages)

    def get(self, code: str | None) -> Language | None:
        """The language with this code, or None."""
        return self._by_code.get(code) if code is not None else None

    def codes(self) -> tuple[str, ...]:
        """Every code, in registry order."""
        return tuple(language.code for language in self.languages)

    @property
    def root(self) -> Language:
        """The language every chain ends in (Indonesian): the one without a fallback."""
        return next(language for language in self.languages if not language.fallback)

    def chain(self, code: str | None) -> tuple[str, ...]:
        """Where to look for a text, in order: the language, then its fallbacks, then theirs."""
        found = self._chains.get(code or "")
        if found is None:
            found = self._chains[code or ""] = self._chain(code)
        return found

    def _chain(self, code: str | None) -> tuple[str, ...]:
        language = self.get(code) or self.root
        order: list[str] = []
        pending = [language.code]
        while pending:
            current = pending.pop(0)
            if current not in order:
                order.append(current)
                found = self.get(current)
                pending[:0] = list(found.fallback) if found is not None else []
        return tuple(order)

    def offering(self, part: str) -> list[Language]:
        """The languages meant to cover a part, e.g. the choices of the USSD language screen."""
        return [language for language in self.languages if language.covers(part)]

    def sources(self) -> list[Language]:
        """The languages content is written in, which must be complete."""
        return [language for language in self.languages if language.source]

    def folder(self, part: str, language: Language | None = None) -> Path:
        """Where a part's files are for a language (shipped ones under the project)."""
        name = part.split(".", 1)[0]
        if language is None or language.home == ROOT:
            return ROOT / self.folders[name]
        return language.home / name

    def part_folders(self, part: str) -> list[Path]:
        """Every folder a part's files may be in: the shipped one, then each extra one."""
        return [self.folder(part)] + [folder / part for folder in self.extra_dirs]

    def part_of(self, directory: str | Path) -> str | None:
        """Which part a shipped folder holds (menus/catalogs -> "menus"), or None."""
        wanted = Path(directory).resolve()
        return next(
            (part for part, rel in self.folders.items() if (ROOT / rel).resolve() == wanted), None
        )

    def catalog_files(self, directory: str | Path, code: str) -> list[Path]:
        """The .po files that may hold a language's texts of the part kept in `directory`."""
        part = self.part_of(directory)
        language = self.get(code)
        if part is None or language is None or language.home == ROOT:
            return [Path(directory) / f"{code}.po"]
        return [self.folder(part, language) / f"{code}.po"]


# ---------------------------------------------------------------- loading


def registry() -> Registry:
    """The registry of the running app: the shipped languages plus its LANGUAGE_DIRS."""
    return load(extra_dirs())


def extra_dirs() -> tuple[str, ...]:
    """The app's extra language folders (a list, or a string joined with os.pathsep)."""
    if not has_app_context():
        return ()
    value = current_app.config.get("LANGUAGE_DIRS")
    if not value:
        return ()
    if isinstance(value, str):
        value = value.split(os.pathsep)
    return tuple(str(item) for item in value if str(item).strip())


@lru_cache(maxsize=16)
def load(extra: tuple[str, ...] = ()) -> Registry:
    """The registry from languages.toml and each extra folder, checked; read once each."""
    data = _read(SHIPPED)
    folders = data.get("folders") or {}
    entries = [_language(entry, ROOT) for entry in data.get("language") or []]
    homes = tuple(Path(folder).resolve() for folder in extra)
    for home in homes:
        listed = _read(home / ENTRY_FILE).get("language") or []
        entries += [_language(entry, home) for entry in listed]
    found = Registry(languages=tuple(entries), folders=dict(folders), extra_dirs=homes)
    problems = registry_problems(found)
    if problems:
        raise LanguageError("; ".join(problems))
    return found


def _read(path: Path) -> dict:
    """One registry file, or a LanguageError that names it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LanguageError(f"{path}: cannot be read as a language registry: {error}") from error


def _language(entry: dict, home: Path) -> Language:
    """One [[language]] table."""
    if not isinstance(entry, dict):
        raise LanguageError(f"{home}: every [[language]] must be a table")
    name = str(entry.get("name") or "")
    return Language(
        code=str(entry.get("code") or ""),
        name=name,
        name_id=str(entry.get("name_id") or name),
        name_en=str(entry.get("name_en") or name),
        fallback=tuple(str(code) for code in entry.get("fallback") or ()),
        parts=frozenset(str(part) for part in entry.get("parts") or ()),
        source=bool(entry.get("source", False)),
        home=home,
    )


def registry_problems(found: Registry) -> list[str]:
    """Every mistake in the registry, as sentences."""
    problems = [
        f"folders: no folder for {part}" for part in KNOWN_FOLDERS if part not in found.folders
    ]
    codes = [language.code for language in found]
    problems += [
        f"language {code!r} is declared twice" for code in set(codes) if codes.count(code) > 1
    ]
    for language in found:
        problems += _entry_problems(language, set(codes))
    roots = [language.code for language in found if not language.fallback]
    if len(roots) != 1:
        problems.append(f"exactly one language must have no fallback (found {roots or 'none'})")
    problems += _cycle_problems(found)
    return problems


KNOWN_FOLDERS = (*CATALOG_PARTS, LESSON_PART, "glossary")
KNOWN_PARTS = frozenset(CATALOG_PARTS) | {f"{LESSON_PART}.{track}" for track in TRACKS}


def _entry_problems(language: Language, codes: set[str]) -> list[str]:
    """Code, names, fallback and parts of one entry."""
    where = f"language {language.code or '(no code)'}"
    problems = [] if CODE_RE.match(language.code) else [f"{where}: code must be 2-3 letters a-z"]
    if not language.name:
        problems.append(f"{where}: name (the language's name in itself) is missing")
    problems += [
        f"{where}: falls back to unknown {c!r}" for c in language.fallback if c not in codes
    ]
    problems += [
        f"{where}: unknown part {part!r}; use " + ", ".join(sorted(KNOWN_PARTS))
        for part in sorted(language.parts - KNOWN_PARTS)
    ]
    return problems


def _cycle_problems(found: Registry) -> list[str]:
    """A fallback chain that loops would never reach Indonesian."""
    problems = []
    for language in found:
        seen: set[str] = set()
        current: Language | None = language
        while current is not None and current.fallback:
            if current.code in seen:
                problems.append(f"language {language.code}: its fallback chain loops")
                break
            seen.add(current.code)
            current = found.get(current.fallback[0])
    return problems


class Codes:
    """The running app's language codes (or its source languages), read when asked."""

    def __init__(self, sources_only: bool = False):
        self.sources_only = sources_only

    def _codes(self) -> tuple[str, ...]:
        found = registry()
        return tuple(x.code for x in found.sources()) if self.sources_only else found.codes()

    def __contains__(self, code: object) -> bool:
        return code in self._codes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes())

    def __len__(self) -> int:
        return len(self._codes())

    def __repr__(self) -> str:
        return f"Codes({', '.join(self)})"


def init_app(app) -> None:
    """Refuse to start on a broken registry or a DEFAULT_LANGUAGE it does not know."""
    with app.app_context():
        found = registry()
    default = app.config.get("DEFAULT_LANGUAGE")
    if default not in found:
        raise LanguageError(
            f"DEFAULT_LANGUAGE={default!r} is not a registered language; use one of "
            + ", ".join(found.codes())
        )
