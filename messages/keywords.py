"""The SMS keywords, declared once as data: one registry that rejects duplicates.

Each keyword has an Indonesian name and an English alias, a handler named by dotted path
(imported only when a message needs it), who may use it, and the help text keys that give
its format and a correct example in each language.
"""

import difflib
from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    FACILITATOR = "facilitator"  # village facilitators only
    ANYONE = "anyone"  # any phone number


@dataclass(frozen=True)
class Keyword:
    """One command: `name` is Indonesian, `alias` English; `handler` is "module:function"."""

    name: str
    alias: str | None
    handler: str
    audience: Audience = Audience.FACILITATOR

    @property
    def key(self):
        """The stable id used for help texts: help.format.<key>, help.example.<key>."""
        return self.name.lower()

    def words(self):
        """(word, language it implies) for every word that calls this keyword."""
        pairs = [(self.name, "id")]
        if self.alias:
            pairs.append((self.alias, "en"))
        return pairs


class DuplicateKeyword(ValueError):
    """Raised when two keywords would answer to the same word."""


class Registry:
    """Keywords by every word that calls them; a second claim on a word is refused."""

    def __init__(self, keywords=()):
        self._by_word = {}
        self._keywords = []
        for keyword in keywords:
            self.add(keyword)

    def add(self, keyword):
        for word, _language in keyword.words():
            if word.upper() in self._by_word:
                raise DuplicateKeyword(word)
        for word, language in keyword.words():
            self._by_word[word.upper()] = (keyword, language)
        self._keywords.append(keyword)
        return keyword

    def __iter__(self):
        return iter(self._keywords)

    def lookup(self, word):
        """(keyword, language the word implies) or (None, None)."""
        return self._by_word.get((word or "").upper(), (None, None))

    def suggest(self, word, audience=None):
        """The keyword word nearest a typo ("DAFTR" -> "DAFTAR"), or None."""
        candidates = [
            w for w, (k, _) in self._by_word.items() if audience is None or k.audience in audience
        ]
        found = difflib.get_close_matches((word or "").upper(), candidates, n=1, cutoff=0.6)
        return found[0] if found else None

    def for_audience(self, audiences):
        return [keyword for keyword in self._keywords if keyword.audience in audiences]


def _h(module, function):
    return f"messages.handlers.{module}:{function}"


FACILITATOR = Audience.FACILITATOR
ANYONE = Audience.ANYONE

KEYWORDS = Registry(
    [
        Keyword("DAFTAR", "REG", _h("households", "register")),
        Keyword("ANAK", "CHILD", _h("households", "add_child")),
        Keyword("PMI", "MIGRANT", _h("households", "link_migrant")),
        Keyword("GANTI", "CHANGE", _h("households", "change_phone")),
        Keyword("HAPUS", "REMOVE", _h("households", "remove")),
        Keyword("INFO", None, _h("households", "info")),
        Keyword("KONFIRMASI", "CONFIRM", _h("households", "confirm")),
        Keyword("REMAJA", "TEEN", _h("adolescent", "request")),
        Keyword("PERTEMUAN", "MEET", _h("meetings", "schedule")),
        Keyword("BATAL", "CANCEL", _h("meetings", "cancel")),
        Keyword("HADIR", "ATTEND", _h("attendance", "attend")),
        Keyword("BANTUAN", "HELP", _h("help", "show"), ANYONE),
        Keyword("BERHENTI", "STOP", _h("optout", "stop"), ANYONE),
        Keyword("MULAI", "START", _h("optout", "start"), ANYONE),
        Keyword("SETUJU", "YES", _h("adolescent", "agree"), ANYONE),
        Keyword("TOLAK", "NO", _h("adolescent", "refuse"), ANYONE),
    ]
)
