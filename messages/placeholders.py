"""The {placeholders} a lesson may use, their worst-case lengths, and how they are filled."""

from __future__ import annotations

import re

from messages.gsm import to_gsm

# Worst-case lengths of what fills each placeholder, used to check lengths.
PLACEHOLDERS = {
    "name": 15,
    "village": 20,
    "ussd": 12,
    "uptd_ppa": 30,
    "puskesmas": 30,
    "hotline": 20,
}
# The local services a village names for itself (admin-set, else its packs, else these).
LOCAL_SERVICES = {"uptd_ppa": "UPTD PPA", "puskesmas": "puskesmas", "hotline": "SAPA 129"}
PLACEHOLDER_RE = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
BRACED_RE = re.compile(r"\{[^{}]*\}")
_GAP = "\x00"  # marks where an empty placeholder was, so only its own spacing is tidied


def used(text: str) -> set[str]:
    """The placeholder names a text uses."""
    return set(PLACEHOLDER_RE.findall(text or ""))


def worst_case(text: str) -> str:
    """The text with each placeholder at its longest, to price the costliest send."""
    return PLACEHOLDER_RE.sub(lambda m: "x" * PLACEHOLDERS[m.group(1)], text)


def fill_placeholders(text: str, **values: object) -> str:
    """Fill the known placeholders; a missing value vanishes with the space before it."""
    clean = {k: " ".join(to_gsm(str(v)).split()) for k, v in values.items() if v is not None}
    out = PLACEHOLDER_RE.sub(lambda m: clean.get(m.group(1)) or _GAP, text)
    out = re.sub(rf"(^|\n){_GAP}[ ,]*", r"\1", out)  # "{name}, coba" -> "coba"
    out = re.sub(rf" *{_GAP} *(?=[,.!?;:])", "", out)  # "Halo {name}," -> "Halo,"
    return re.sub(rf" *{_GAP} *", " ", out).strip()  # "di {village} ini" -> "di ini"


def first_value(key: str, *sources: dict | None) -> str:
    """The first non-blank value for key along a chain of mappings ("" when none has one)."""
    for source in sources:
        value = " ".join(str((source or {}).get(key) or "").split())
        if value:
            return value
    return ""
