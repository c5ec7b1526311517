"""Phone numbers in one shape (E.164), so 0812..., 62812... and +62812... are one person."""

import re

import phonenumbers
from phonenumbers import timezone as phone_timezone

DEFAULT_REGION = "ID"


class InvalidPhone(ValueError):
    """Raised for text that is not a dialable phone number."""


def normalise(raw, region=DEFAULT_REGION):
    """E.164 for any way a villager might write a number; raises InvalidPhone otherwise."""
    text = (raw or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise InvalidPhone(raw)
    if not text.startswith("+") and not text.startswith("0") and digits.startswith("62"):
        text = "+" + digits  # "62812..." written without the plus
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone(raw) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalise(raw, region=DEFAULT_REGION):
    """E.164 or None: for places where a bad number is simply not a match."""
    try:
        return normalise(raw, region)
    except InvalidPhone:
        return None


def country_of(e164):
    """ISO 3166 alpha-2 region of a normalised number ("ID", "HK", "SA", ...)."""
    return phonenumbers.region_code_for_number(phonenumbers.parse(e164))


def timezone_of(e164, fallback="Asia/Jakarta"):
    """The IANA zone of a number's country, for messages to parents abroad."""
    zones = phone_timezone.time_zones_for_number(phonenumbers.parse(e164))
    usable = [zone for zone in zones if "/" in zone]
    return usable[0] if usable else fallback


def mask(e164):
    """+62812****7890: enough for a viewer to recognise a number, not to dial it."""
    if not e164 or len(e164) < 9:
        return e164
    return e164[:6] + "****" + e164[-4:]


# A run of digits that may be a phone number written any way: +62 812-3456-7890, (0812) 3456 7890.
_DIGIT_RUN = re.compile(r"[+(]?\d[\d \t\-.()+]*\d")
_DIGIT_GROUP = re.compile(r"\+?\d+")
_MIN_DIGITS, _MAX_DIGITS = 9, 15


def mask_numbers_in(text):
    """Text with each phone number in it, however it is written, replaced by its masked E.164."""
    if not text:
        return text
    return _DIGIT_RUN.sub(lambda found: _mask_run(found.group(0)), str(text))


def _mask_run(run):
    """Mask the longest phone numbers found among the run's consecutive digit groups."""
    groups = list(_DIGIT_GROUP.finditer(run))
    pieces, cursor, i = [], 0, 0
    while i < len(groups):
        found = _longest_number(run, groups, i)
        if found is None:
            i += 1
            continue
        j, e164 = found
        start = groups[i].start()
        start -= run[start - 1 : start] == "(" and ")" in run[start : groups[j - 1].end()]
        pieces += [run[cursor:start], mask(e164)]
        cursor, i = groups[j - 1].end(), j
    return "".join(pieces) + run[cursor:]


def _longest_number(run, groups, i):
    """(end group, E.164) of the longest number starting at group i, or None."""
    ends, digits = [], 0
    for j in range(i, len(groups)):
        digits += sum(ch.isdigit() for ch in groups[j].group(0))
        if digits > _MAX_DIGITS:
            break
        if digits >= _MIN_DIGITS:
            ends.append(j + 1)
    for j in reversed(ends):
        e164 = _as_number(run[groups[i].start() : groups[j - 1].end()])
        if e164:
            return j, e164
    return None


def _as_number(candidate):
    """E.164 for a written number that starts like one (+, 0 or 62), else None."""
    if not candidate.startswith(("+", "0", "62")):
        return None
    cleaned = candidate[0] + candidate[1:].replace("+", " ")
    e164 = try_normalise(cleaned)
    if e164 is None and cleaned[0] == "+" and cleaned[1:].isdigit():
        return cleaned  # an unallocated but well-formed international number: mask it all the same
    return e164
