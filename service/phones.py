"""Phone numbers in one shape (E.164), so 0812..., 62812... and +62812... are one person."""

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
