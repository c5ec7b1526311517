"""Small helpers the dashboard views share."""

from flask import request
from flask_login import current_user

from service.web.auth import shown_phone, shown_text


def page_number():
    """The ?page= asked for, at least 1."""
    value = request.args.get("page", "1")
    return max(int(value), 1) if value.isdigit() else 1


def actor():
    """How the audit log names the signed-in officer."""
    return f"admin:{current_user.username}"


def phone_list(numbers):
    """Several numbers in one CSV cell, masked for viewers."""
    return " ".join(shown_phone(n) for n in numbers if n)


__all__ = ["actor", "page_number", "phone_list", "shown_phone", "shown_text"]
