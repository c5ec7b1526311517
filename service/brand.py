"""Every SMS says who it is from: Indonesian operators require the brand in the text."""

import re

PREFIX = "Asuh: "
_ALREADY = re.compile(r"\s*Asuh\b")  # "Asuh: ...", "Asuh PENTING: ..." but not "Asuhan"


def branded(body: str) -> str:
    """The body with the brand first, added once (a text already starting "Asuh" is kept)."""
    return body if _ALREADY.match(body) else PREFIX + body
