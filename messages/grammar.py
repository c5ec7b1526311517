"""The SMS keyword grammar: a keyword first, then fields recognised by their shape in any order.

Villagers type "daftar mbah sumini 0812-3456-7890 nenek 2016 2019-03" or
"REG Sumini +62 812 3456 7890 grandmother 03/2019"; this module turns such text into typed
tokens (phone, household code, birth year or year-month, date, time, relationship word,
number, plain word) without knowing which command they are for. Handlers interpret them.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from service import codes, phones
from service.states import Relationship


class Kind(StrEnum):
    PHONE = "phone"
    BAD_PHONE = "bad_phone"  # shaped like a phone number but not dialable
    CODE = "code"  # household-code shape (validity is checked by the handler)
    YEAR = "year"
    YEAR_MONTH = "year_month"
    DATE = "date"  # (day, month, year-or-None); value None when no such day exists
    TIME = "time"  # (hour, minute)
    NUMBER = "number"
    RELATIONSHIP = "relationship"
    WORD = "word"


RELATIONSHIP_WORDS = {
    Relationship.MOTHER: "ibu mama mamak emak mak bunda biyung mother mom mum mommy",
    Relationship.FATHER: "ayah bapak bapa pak abah papa bapake father dad daddy",
    Relationship.GRANDMOTHER: "nenek mbah embah simbah eyang uti nini oma grandmother grandma"
    " granny",
    Relationship.GRANDFATHER: "kakek kakung akung aki opa datuk grandfather grandpa",
    Relationship.AUNT: "bibi bude budhe tante bulik bulek aunt auntie aunty",
    Relationship.UNCLE: "paman pakde pakdhe om oom paklik pak-de uncle",
    Relationship.SIBLING: "kakak abang mas mbak adik sibling brother sister",
    Relationship.OTHER: "lainnya lain lain-lain wali other guardian",
}
RELATIONSHIPS = {
    word: relationship
    for relationship, words in RELATIONSHIP_WORDS.items()
    for word in words.split()
}
# Honorifics that sit before a name ("Ibu Siti") without saying who the person is to the child.
GENERIC_TITLES = frozenset(["ibu", "bapak", "pak", "mas", "mbak", "kakak", "abang", "om", "tante"])

_EDGE_PUNCTUATION = ",;:!?()[]\"'.*#"
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")
_YM = re.compile(r"^(\d{4})[/-](\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})[/-](\d{4})$")
_DM = re.compile(r"^(\d{1,2})[/-](\d{1,2})$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_PHONE_PIECE = re.compile(r"^\+?[\d\-().]+$")
_PHONE_START = re.compile(r"^(\+|0|\(0|62)")
MIN_PHONE_DIGITS = 9
MIN_DIALLED_DIGITS = 6  # "0812345": meant as a phone number, too short to be one
MAX_PHONE_PIECES = 4


@dataclass(frozen=True)
class Token:
    """One field of a message: what was typed, what shape it has, and the value read from it."""

    text: str
    kind: Kind
    value: object = None

    @property
    def is_digits(self):
        return self.text.isdigit()


@dataclass
class Parsed:
    """A message split into its keyword (upper case, or None when empty) and typed tokens."""

    keyword: str | None
    tokens: list[Token] = field(default_factory=list)
    text: str = ""

    def of(self, *kinds):
        """Tokens of these kinds, in the order typed."""
        return [token for token in self.tokens if token.kind in kinds]

    def values(self, *kinds):
        return [token.value for token in self.of(*kinds)]

    @property
    def words(self):
        """Every word (relationship words included) as typed, for a place or a name."""
        return [t.text for t in self.of(Kind.WORD, Kind.RELATIONSHIP)]

    @property
    def digit_tokens(self):
        """Every all-digit token whatever shape it was given: codes and meeting numbers."""
        return [t.text for t in self.tokens if t.is_digits]


def clean(text):
    """Fold look-alike characters phones insert, so shapes match what the eye sees."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return "".join(ch if ch.isprintable() else " " for ch in text)


def split_words(text):
    """Whitespace- and comma-separated pieces with edge punctuation removed."""
    pieces = re.split(r"[\s,;]+", clean(text))
    stripped = (piece.strip(_EDGE_PUNCTUATION) for piece in pieces)
    return [piece for piece in stripped if piece]


def parse(text, region=phones.DEFAULT_REGION):
    """Keyword plus typed tokens; `region` is where numbers without a country code are."""
    words = split_words(text)
    if not words:
        return Parsed(None, [], text or "")
    keyword, rest = words[0].upper(), _merge_phone_pieces(words[1:], region)
    return Parsed(keyword, [classify(word, region) for word in rest], text or "")


def _merge_phone_pieces(words, region):
    """Join "0812 3456 7890" into one piece when the joined digits dial and the first doesn't."""
    merged, index = [], 0
    while index < len(words):
        width = _phone_width(words, index, region)
        merged.append("".join(words[index : index + width]))
        index += width
    return merged


def _phone_width(words, index, region):
    first = words[index]
    if not (_PHONE_PIECE.match(first) and _PHONE_START.match(first)):
        return 1
    if phones.try_normalise(first, region) or codes.looks_like_code(first):
        return 1
    for width in range(MAX_PHONE_PIECES, 1, -1):
        pieces = words[index : index + width]
        shaped = len(pieces) == width and all(_PHONE_PIECE.match(p) for p in pieces)
        if shaped and phones.try_normalise("".join(pieces), region):
            return width
    return 1


def classify(word, region=phones.DEFAULT_REGION):
    """The token for one word: the first shape that fits wins."""
    for recognise in (_time, _full_date, _year_month, _day_month, _year, _code, _phone):
        token = recognise(word, region)
        if token is not None:
            return token
    if word.isdigit():
        return Token(word, Kind.NUMBER, int(word))
    relationship = RELATIONSHIPS.get(word.lower())
    if relationship is not None:
        return Token(word, Kind.RELATIONSHIP, relationship)
    return Token(word, Kind.WORD, word)


def _time(word, region):
    match = _TIME.match(word)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return Token(word, Kind.TIME, (hour, minute))


def _full_date(word, region):
    match = _DMY.match(word)
    if match:
        day, month, year = (int(part) for part in match.groups())
        year = year + 2000 if year < 100 else year
    else:
        match = _YMD.match(word)
        if not match:
            return None
        year, month, day = (int(part) for part in match.groups())
    return Token(word, Kind.DATE, _real_date(day, month, year))


def _real_date(day, month, year):
    """(day, month, year) when that day exists, else None (the handler names the problem)."""
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29/2 without a year is fine
    except ValueError:
        return None
    return (day, month, year)


def _year_month(word, region):
    match = _YM.match(word)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    else:
        match = _MY.match(word)
        if not match:
            return None
        month, year = int(match.group(1)), int(match.group(2))
    return Token(word, Kind.YEAR_MONTH, (year, month) if 1 <= month <= 12 else None)


def _day_month(word, region):
    match = _DM.match(word)
    if not match:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    return Token(word, Kind.DATE, _real_date(day, month, None))


def _year(word, region):
    return Token(word, Kind.YEAR, int(word)) if _YEAR.match(word) else None


def _code(word, region):
    """Household codes never start with 0 (codes.generate); "0812345" is a short phone."""
    if codes.looks_like_code(word) and not word.startswith("0"):
        return Token(word, Kind.CODE, word)
    return None


def _phone(word, region):
    if not _PHONE_PIECE.match(word):
        return None
    digits = sum(ch.isdigit() for ch in word)
    dialled = word.startswith(("+", "0")) and digits >= MIN_DIALLED_DIGITS
    if digits < MIN_PHONE_DIGITS and not dialled:
        return None
    number = phones.try_normalise(word, region)
    return Token(word, Kind.PHONE, number) if number else Token(word, Kind.BAD_PHONE, None)


def name_and_relationship(parsed, ignore=frozenset()):
    """The person's name and relationship from the plain words of a registration.

    A kinship word standing alone ("nenek") is the relationship; one placed before a name
    ("Mbah Sumini") stays in the name and, failing a standalone word, says the relationship.
    """
    tokens = [t for t in parsed.tokens if t.text.lower() not in ignore]
    titles, standalone = _split_relationship_words(tokens)
    chosen = standalone[-1] if standalone else None
    if chosen is None:
        kin = [t for t in titles if t.text.lower() not in GENERIC_TITLES]
        relationship = kin[-1].value if kin else None
    else:
        relationship = chosen.value
    words = [t for t in tokens if t.kind in (Kind.WORD, Kind.RELATIONSHIP) and t is not chosen]
    return display_name(t.text for t in words), relationship


def _split_relationship_words(tokens):
    """(titles, standalone): a relationship word directly before a plain word is a title."""
    titles, standalone = [], []
    for index, token in enumerate(tokens):
        if token.kind != Kind.RELATIONSHIP:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        is_title = following is not None and following.kind == Kind.WORD
        (titles if is_title else standalone).append(token)
    return titles, standalone


def display_name(words):
    """Words joined; typed all in one case they are title-cased ("mbah sumini" -> "Mbah Sumini")."""
    text = " ".join(words)
    if text.islower() or text.isupper():
        text = text.title()
    return text
