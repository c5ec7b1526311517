"""What logs may carry: phone numbers masked and secrets hidden, whichever library logs."""

import logging
import re

from service.phones import mask_numbers_in

SECRET_FIELD = re.compile(r"(?i)\b(token|password|api_?key|apikey)=([^&\s\"']*)")

_installed = False


def scrub(text):
    """The text with `token=...`-style secrets hidden and every phone number masked."""
    if not text:
        return text
    return mask_numbers_in(SECRET_FIELD.sub(lambda m: f"{m.group(1)}=[hidden]", str(text)))


def _scrubbed(record):
    """Render the record's message and traceback once, masked; the handlers print that."""
    try:
        record.msg, record.args = scrub(record.getMessage()), None
    except Exception:  # noqa: BLE001 - a malformed log call is logging's to report, not ours
        return record
    if record.exc_info and not record.exc_text:
        record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return record


def mask_logs():
    """Install the masking record factory once per process (gunicorn, workers, the CLI)."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()
    logging.setLogRecordFactory(lambda *args, **kwargs: _scrubbed(make_record(*args, **kwargs)))
    _installed = True
