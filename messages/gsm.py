"""GSM-7 / UCS-2 segment accounting, so we know what each SMS costs before sending it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# GSM 03.38 default alphabet (one septet each); 0x1B (escape) is not a character.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# GSM 03.38 extension table: escape + char, so two septets each.
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE_LIMIT = {GSM7: 160, UCS2: 70}
PART_LIMIT = {GSM7: 153, UCS2: 67}

# Look-alikes that phones and word processors slip in; None means "remove".
REPLACEMENTS: dict[str, str | None] = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u205f\u3000\t", " "),
    **dict.fromkeys("\u2022\u2023\u2043\u00b7\u25e6", "-"),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", None),
    "\u2026": "...",
}


@dataclass(frozen=True)
class SegmentInfo:
    """How an SMS body will travel: its encoding, its length in units and the parts billed."""

    encoding: str
    units: int
    segments: int


def is_gsm(char: str) -> bool:
    """True when the character can travel in a GSM-7 message."""
    return char in GSM_BASIC or char in GSM_EXTENSION


def _unit_sizes(text: str, encoding: str) -> list[int]:
    """Per-character sizes: septets for GSM-7, UTF-16 code units for UCS-2."""
    if encoding == GSM7:
        return [2 if c in GSM_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def _count_parts(sizes: list[int], limit: int) -> int:
    """Fill parts greedily; an escape pair or surrogate pair is never split across parts."""
    parts, used = 1, 0
    for size in sizes:
        if used + size > limit:
            parts, used = parts + 1, 0
        used += size
    return parts


def segment_info(text: str) -> SegmentInfo:
    """Encoding, units and billed segments of an SMS body (empty text still costs 1 segment)."""
    encoding = GSM7 if all(is_gsm(c) for c in text) else UCS2
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    if units <= SINGLE_LIMIT[encoding]:
        return SegmentInfo(encoding, units, 1)
    return SegmentInfo(encoding, units, _count_parts(sizes, PART_LIMIT[encoding]))


def suggest(char: str) -> str | None:
    """A GSM-7 stand-in for a character, or None when it should simply be removed."""
    if char in REPLACEMENTS:
        return REPLACEMENTS[char]
    folded = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in folded if not unicodedata.combining(c))
    if base and base != char and all(is_gsm(c) for c in base):
        return base
    return None


def non_gsm_characters(text: str) -> list[tuple[str, str | None]]:
    """Each distinct character that would force UCS-2, with its suggested replacement."""
    seen: dict[str, str | None] = {}
    for char in text:
        if not is_gsm(char) and char not in seen:
            seen[char] = suggest(char)
    return list(seen.items())


def to_gsm(text: str) -> str:
    """Make free text (names, replies) GSM-7 safe so one stray emoji cannot double the cost."""
    return "".join(c if is_gsm(c) else (suggest(c) or "") for c in text)
