"""Never more than one lesson per phone per local day, whichever tracks the phone is on.

One number may hold two enrollments (a facilitator who also cares for a grandchild, a teen on
a grandmother's phone). Once per chunk the scheduler asks which of the chunk's numbers already
have a lesson row created or due on their local day, and it notes each lesson it writes
itself, so a later enrollment of the same number waits for its next slot. The chunk's numbers
are locked for the transaction before that question is asked, so two clock processes cannot
both find a number free.
"""

import zlib
from datetime import timedelta

from sqlalchemy import and_, or_, select, text

from service.models import OutboxMessage, db, dialect_name
from service.states import MessageKind, MessageStatus
from workers.schedule import local_date

OUTBOX = OutboxMessage.__table__
AROUND = timedelta(hours=26)  # every zone's local day (even a 25-hour one) lies within this
BATCH = 1000  # numbers per IN list: one query for a default chunk of enrollments
LOCK_CLASS = 4041  # first key of pg_advisory_xact_lock(int, int): "a lesson to this number"
_ADVISORY_LOCKS = text(
    "SELECT count(pg_advisory_xact_lock(:lock_class, k)) FROM unnest(CAST(:keys AS integer[])) k"
)


class LessonDays:
    """When each number of a chunk got, or will get, a lesson near `now`."""

    def __init__(self, now, instants):
        self.now = now
        self.instants = instants
        self._today = {}

    @classmethod
    def load(cls, phones, now):
        """Lock the numbers (PostgreSQL), then read their lesson rows near `now`."""
        phones = sorted({phone for phone in phones if phone})
        lock_numbers(phones)
        return cls(now, lesson_instants(phones, now))

    def had_one_today(self, phone, zone_name):
        """True when the number has a lesson created or due on its local day of `now`."""
        instants = self.instants.get(phone)
        if not instants:
            return False
        today = self.today(zone_name)
        return any(local_date(moment, zone_name) == today for moment in instants)

    def today(self, zone_name):
        if zone_name not in self._today:
            self._today[zone_name] = local_date(self.now, zone_name)
        return self._today[zone_name]

    def note(self, phone):
        """A lesson to this number is being written now."""
        self.instants.setdefault(phone, []).append(self.now)


def lesson_instants(phones, now):
    """{phone: [created_at and send_after of its lesson rows near now]}, cancelled rows aside."""
    near = [
        and_(column >= now - AROUND, column < now + AROUND)
        for column in (OUTBOX.c.created_at, OUTBOX.c.send_after)
    ]
    found = {}
    for start in range(0, len(phones), BATCH):
        query = select(OUTBOX.c.to_phone, OUTBOX.c.created_at, OUTBOX.c.send_after).where(
            OUTBOX.c.to_phone.in_(phones[start : start + BATCH]),
            OUTBOX.c.kind == str(MessageKind.LESSON),
            OUTBOX.c.status != str(MessageStatus.CANCELLED),
            or_(*near),
        )
        for phone, created_at, send_after in db.session.execute(query):
            moments = (moment for moment in (created_at, send_after) if moment is not None)
            found.setdefault(phone, []).extend(moments)
    return found


def lock_numbers(phones):
    """PostgreSQL: hold each number until commit, in one order for every tick (no deadlock).

    SQLite needs nothing here: the chunk holds its single write lock from the start
    (`transactions.write_lock`).
    """
    if not phones or dialect_name() != "postgresql":
        return
    keys = sorted({_signed(zlib.crc32(phone.encode())) for phone in phones})
    db.session.execute(_ADVISORY_LOCKS, {"lock_class": LOCK_CLASS, "keys": keys})


def _signed(value):
    """A 32-bit unsigned CRC as PostgreSQL's signed integer."""
    return value - 2**32 if value >= 2**31 else value
