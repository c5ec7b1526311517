"""Every SMS says who it is from: Indonesian operators require the brand in the text."""

PREFIX = "Asuh: "
NAME = PREFIX.split(":")[0]


def branded(body: str) -> str:
    """The body with the brand first, added once (a text already starting "Asuh" is kept)."""
    return body if body.lstrip().startswith(NAME) else PREFIX + body
