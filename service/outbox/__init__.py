"""The outbox, the one way to send an SMS: rows are written here and sent after the commit.

- `rows`: building rows and inserting them, one at a time or thousands at once, never to a
  number that said STOP (`opted_out`).
- `unsent`: the one rule for rows a cancel or re-address may still change (pending, and no
  sender holds them), and the cancels built on it.
- `readdress`: a caregiver's unsent SMS follow them to a new number.
- `hooks`: what the app factory hands in (`init_app(app, kick=..., segments=...)`): the
  sender's kick after each commit and the SMS part counter, so `service/` never imports
  `workers/` or `messages/`.
"""

from service.outbox.hooks import Kick, SegmentCounter, init_app, kick, segment_count
from service.outbox.readdress import follow_caregiver
from service.outbox.rows import (
    insert_rows,
    is_opted_out,
    meeting_row,
    opted_out,
    outbox_row,
    queue_sms,
)
from service.outbox.unsent import cancel_to, cancel_unsent, sendable, unsent, unsent_to

__all__ = [
    "Kick",
    "SegmentCounter",
    "cancel_to",
    "cancel_unsent",
    "follow_caregiver",
    "init_app",
    "insert_rows",
    "is_opted_out",
    "kick",
    "meeting_row",
    "opted_out",
    "outbox_row",
    "queue_sms",
    "segment_count",
    "sendable",
    "unsent",
    "unsent_to",
]
