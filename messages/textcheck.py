"""Checks of one SMS body as written in a content file: characters, placeholders, length, words."""

from __future__ import annotations

import re

from messages.gsm import non_gsm_characters, segment_info, to_gsm
from messages.placeholders import BRACED_RE, PLACEHOLDER_RE, PLACEHOLDERS, worst_case
from service.brand import PREFIX

WORDING_LANGUAGE = "id"  # ID_WORDING holds Indonesian names

MAX_SEGMENTS = 2
TWO_PARTS = 2 * 153  # septets two GSM-7 parts hold
# The code puts the brand ("Asuh: ") in front of every SMS, so a text may use the rest.
MAX_SEPTETS = TWO_PARTS - len(PREFIX)
# One name for each thing in the Indonesian texts: (wrong words, the right ones).
ID_WORDING = (("kode rumah tangga", "kode keluarga"),)
# Base lessons are faith-neutral; a regional pack may add local framing.
FAITH_WORDS = ("mengaji", "magrib", "maghrib", "pengajian", "lebaran", "quran", "koran", "eid")


def check_text(where: str, label: str, text: str, prefix: str = PREFIX) -> list[str]:
    """Every problem with one SMS body: empty, characters, placeholders, length with prefix."""
    if not text:
        return [f"{where}: {label} is empty"]
    problems = char_problems(where, label, text)
    problems += _placeholder_problems(where, label, text)
    body = to_gsm(worst_case(text))
    septets, limit = segment_info(body).units, TWO_PARTS - len(prefix)
    segments = segment_info(prefix + body).segments
    if septets > limit or segments > MAX_SEGMENTS:
        brand = f" after {prefix.strip()!r}" if prefix else ""
        problems.append(
            f"{where}: {label} is {septets} septets with placeholders at their longest "
            f"({segments} SMS{brand}); the limit is {limit} (2 SMS)"
        )
    return problems


def char_problems(where: str, label: str, text: str) -> list[str]:
    """Sentences naming each non-GSM character and what to write instead."""
    problems = []
    for char, replacement in non_gsm_characters(text):
        fix = f'use "{replacement}"' if replacement is not None else "remove it"
        problems.append(f"{where}: character {char!r} in {label} is not GSM-7; {fix}")
    return problems


def _placeholder_problems(where: str, label: str, text: str) -> list[str]:
    """Unknown {names} and stray braces that would reach a phone verbatim."""
    rest = PLACEHOLDER_RE.sub("", text)
    problems = [
        f"{where}: broken placeholder {m} in {label}; allowed: "
        + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        for m in BRACED_RE.findall(rest)
    ]
    if re.search(r"[{}]", BRACED_RE.sub("", rest)):
        problems.append(f"{where}: unbalanced brace in {label}")
    return problems


def wording_problems(where: str, label: str, text: str, language: str) -> list[str]:
    """Indonesian texts use the one agreed name for each thing."""
    if language != WORDING_LANGUAGE:
        return []
    lowered = " ".join(text.split()).casefold()
    return [
        f'{where}: {label} says "{wrong}"; write "{right}"'
        for wrong, right in ID_WORDING
        if wrong in lowered
    ]


def faith_problems(where: str, label: str, text: str) -> list[str]:
    """Words that assume one faith, which a base lesson leaves to the regional packs."""
    found = [w for w in FAITH_WORDS if re.search(rf"(?<!\w){w}(?!\w)", text, re.IGNORECASE)]
    return [
        f'{where}: {label} says "{word}": base lessons are faith-neutral ("ibadah", '
        f'"sesudah makan malam", "hari raya"); put local framing in a regional pack'
        for word in found
    ]
