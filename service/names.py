"""Names people type (villages, districts, facilitators): one tidy shape, or a clear refusal."""

import unicodedata

MAX_NAME = 120  # the columns' length


class BadName(ValueError):
    """Raised for a name with nothing readable in it, or one too long to store."""


def tidy(text):
    """Typed text without control or invisible characters, outer spaces or doubled spaces."""
    visible = "".join(ch for ch in str(text or "") if unicodedata.category(ch)[0] != "C")
    return " ".join(visible.split())


def clean_name(text, what="name", max_length=MAX_NAME):
    """The tidied name; BadName when no letter or digit is left, or when it is too long."""
    name = tidy(text)
    if not any(ch.isalnum() for ch in name):
        raise BadName(f"the {what} is empty: type a {what} with letters in it")
    if len(name) > max_length:
        raise BadName(f"the {what} is longer than {max_length} characters")
    return name
