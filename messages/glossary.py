"""Glossaries: the one word each language uses for the programme's key things, and the
keyword aliases its speakers send (messages/glossary/<code>.toml).

The content check holds translations to them: when the Indonesian text of a lesson or a
catalog entry uses an Indonesian term, its translation uses that language's term.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from service import languages as registry

PART = "glossary"
TERMS = ("household_code", "facilitator", "meeting", "lesson", "stop")
KEYWORD_RE = re.compile(r"^[A-Z][A-Z0-9]{1,19}$")  # one word a phone keypad can type


@dataclass(frozen=True)
class Glossary:
    """One language's terms and keyword aliases ({"STOP": ("MANDEG",)})."""

    language: str
    terms: dict[str, str] = field(default_factory=dict, hash=False)
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)


def path_of(code: str) -> Path:
    """Where a language's glossary lives (its own folder for an extra language)."""
    found = registry.registry()
    return found.folder(PART, found.get(code)) / f"{code}.toml"


def read(path: Path) -> tuple[Glossary | None, list[str]]:
    """A glossary file and what is wrong with it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return None, [f"glossary/{path.name}: missing; list the words for {', '.join(TERMS)}"]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return None, [f"glossary/{path.name}: cannot be read as TOML: {error}"]
    terms = data.get("terms") if isinstance(data.get("terms"), dict) else {}
    keywords = data.get("keywords") if isinstance(data.get("keywords"), dict) else {}
    glossary = Glossary(
        language=str(data.get("language") or ""),
        terms={str(k): str(v).strip() for k, v in terms.items() if isinstance(v, str)},
        keywords={str(k).upper(): _words(v) for k, v in keywords.items()},
    )
    return glossary, _problems(path, glossary, data)


def _words(value: object) -> tuple[str, ...]:
    """Aliases written as one word or a list of words, upper-cased as the grammar reads them."""
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return tuple(str(word).strip().upper() for word in values)


def _problems(path: Path, glossary: Glossary, data: dict) -> list[str]:
    """A glossary names its language and gives every term."""
    where = f"glossary/{path.name}"
    problems = []
    if glossary.language != path.stem:
        problems.append(f"{where}: language = {glossary.language!r}; expected {path.stem!r}")
    problems += [f"{where}: no term for {term}" for term in TERMS if not glossary.terms.get(term)]
    for keyword, aliases in glossary.keywords.items():
        problems += [
            f"{where}: keyword alias {alias!r} for {keyword} must be one word of letters/digits"
            for alias in aliases
            if not KEYWORD_RE.match(alias)
        ]
    return problems


@functools.lru_cache(maxsize=16)
def _load(extra: tuple[str, ...]) -> dict[str, Glossary]:
    """Every readable glossary of the registry's languages (read once per registry)."""
    found = registry.load(extra)
    out = {}
    for language in found:
        glossary, _ = read(found.folder(PART, language) / f"{language.code}.toml")
        if glossary is not None:
            out[language.code] = glossary
    return out


def glossaries() -> dict[str, Glossary]:
    """The running app's glossaries by language code."""
    return _load(registry.extra_dirs())


def uses(text: str, term: str | None) -> bool:
    """True when the text uses the term as a word (or the start of one), any case.

    A lower-case term written in capitals is an SMS keyword ("PERTEMUAN 5/12 15:00"), which
    stays as it is in every language, so it does not count; "STOP" is a term and a keyword.
    """
    if not term:
        return False
    found = re.finditer(r"(?<![\w])" + re.escape(term), text, re.IGNORECASE)
    return any(term.isupper() or not match.group().isupper() for match in found)


def term_problems(where: str, source_text: str, text: str, code: str) -> list[str]:
    """The glossary rule for one translated text against its Indonesian original."""
    found = glossaries()
    source = found.get(registry.registry().root.code)
    own = found.get(code)
    if source is None or own is None:
        return []
    return [
        f"{where}: the Indonesian says {term!r}; write {own.terms[concept]!r} "
        f"(glossary/{code}.toml {concept})"
        for concept, term in source.terms.items()
        if concept in own.terms and uses(source_text, term) and not uses(text, own.terms[concept])
    ]
