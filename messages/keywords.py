"""The SMS keywords, declared once as data: one registry that rejects duplicates.

Each keyword has an Indonesian name and an English alias, a handler named by dotted path
(imported only when a message needs it), who may use it, and the help text keys that give
its format and a correct example in each language. Other languages add the words their
speakers send in their glossary's [keywords] table (messages/glossary/<code>.toml).
"""

import difflib
import functools
from dataclasses import dataclass
from enum import StrEnum

from messages.glossary import glossaries
from service.languages import extra_dirs, registry

ALIAS_LANGUAGE = "en"  # the language each keyword's `alias` is written in


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
        pairs = [(self.name, registry().root.code)]
        if self.alias:
            pairs.append((self.alias, ALIAS_LANGUAGE))
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

    def lookup(self, word, alone=True):
        """(keyword, language the word implies) or (None, None).

        A glossary's word for a keyword anyone may send counts only as the whole message
        (`alone`): "MANDHEG sekolah" tells of a child leaving school, it does not stop SMS.
        """
        word = (word or "").upper()
        if word in self._by_word:
            return self._by_word[word]
        keyword, language = self.glossary_words().get(word, (None, None))
        if keyword is None or (keyword.audience == Audience.ANYONE and not alone):
            return None, None
        return keyword, language

    def glossary_words(self):
        """{word: (keyword, language)} from the glossaries' [keywords] tables."""
        return _glossary_words(self, extra_dirs())

    def word_in(self, keyword, language):
        """The word a speaker of `language` types for a keyword (in help texts)."""
        own = [
            w for w, (k, lang) in self.glossary_words().items() if k is keyword and lang == language
        ]
        if own:
            return own[0]
        return keyword.alias if language == ALIAS_LANGUAGE and keyword.alias else keyword.name

    def suggest(self, word, audience=None):
        """The keyword word nearest a typo ("DAFTR" -> "DAFTAR"), or None."""
        every = {**self.glossary_words(), **self._by_word}
        candidates = [
            w for w, (k, _) in every.items() if audience is None or k.audience in audience
        ]
        found = difflib.get_close_matches((word or "").upper(), candidates, n=1, cutoff=0.6)
        return found[0] if found else None

    def for_audience(self, audiences):
        return [keyword for keyword in self._keywords if keyword.audience in audiences]


@functools.lru_cache(maxsize=16)
def _glossary_words(keywords, extra):
    """Each glossary word for a known keyword that no keyword or earlier language has taken."""
    found = {}
    for code, glossary in glossaries().items():
        for canonical, words in glossary.keywords.items():
            keyword = keywords._by_word.get(canonical, (None, None))[0]
            for word in words if keyword is not None else ():
                if word not in keywords._by_word and word not in found:
                    found[word] = (keyword, code)
    return found


def alias_problems():
    """Glossary keyword words that name no keyword or that another word already claims."""
    problems: list[str] = []
    claimed: dict[str, str] = {}
    for code, glossary in glossaries().items():
        for canonical, words in glossary.keywords.items():
            if canonical not in KEYWORDS._by_word:
                problems.append(f"glossary/{code}.toml [keywords]: {canonical} is not a keyword")
                continue
            for word in words:
                owner = KEYWORDS._by_word.get(word, (None, None))[0]
                if owner is not None or claimed.get(word, code) != code:
                    taken = owner.name if owner else f"glossary/{claimed[word]}.toml"
                    problems.append(
                        f"glossary/{code}.toml [keywords]: {word} is taken already ({taken})"
                    )
                claimed.setdefault(word, code)
    return problems


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
        Keyword("BAHASA", "LANGUAGE", _h("language", "set_language")),
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
