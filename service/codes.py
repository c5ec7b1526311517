"""Household codes: short digits whose last one is a Damm check digit, so typos are caught."""

import secrets

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
BASE_DIGITS = 5


def check_digit(digits):
    """The Damm digit: catches every single-digit error and adjacent swap."""
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def is_valid(code):
    """True when the text is all digits and its last digit checks out."""
    return len(code) >= 2 and code.isdigit() and check_digit(code) == "0"


def looks_like_code(token):
    """A household code has BASE_DIGITS+1 or more digits and no other characters."""
    return token.isdigit() and BASE_DIGITS + 1 <= len(token) <= BASE_DIGITS + 3


def generate(taken, base_digits=BASE_DIGITS, tries=30):
    """A fresh random code not in `taken` (a callable); widens when the space is crowded."""
    for attempt in range(tries * 3):
        width = base_digits + attempt // tries
        base = str(secrets.randbelow(9 * 10 ** (width - 1)) + 10 ** (width - 1))
        code = base + check_digit(base)
        if not taken(code):
            return code
    raise RuntimeError("no free household code")
