"""Small helpers the dashboard views share."""

from flask import request
from flask_login import current_user

from service.names import tidy
from service.web.auth import shown_body, shown_phone, shown_text

MAX_PAGE = 100_000  # far past any real list; keeps OFFSET a number every database accepts
MAX_QUERY_TEXT = 200


def small_number(text, largest):
    """A plain decimal (ASCII digits only) up to `largest`, else None."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(largest)):
        return None
    value = int(text)
    return value if value <= largest else None


def page_number():
    """The ?page= asked for, from 1 to MAX_PAGE; anything else is page 1."""
    return max(small_number(request.args.get("page"), MAX_PAGE) or 1, 1)


def query_text(name):
    """A typed search value without control characters (PostgreSQL refuses NUL), trimmed."""
    return tidy(request.args.get(name, ""))[:MAX_QUERY_TEXT]


def actor():
    """How the audit log names the signed-in officer."""
    return f"admin:{current_user.username}"


def phone_list(numbers):
    """Several numbers in one CSV cell, masked for viewers."""
    return " ".join(shown_phone(n) for n in numbers if n)


__all__ = [
    "actor",
    "page_number",
    "phone_list",
    "query_text",
    "shown_body",
    "shown_phone",
    "shown_text",
    "small_number",
]
