"""The SMS log: outbox rows filtered by status, kind, day range and village."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from service.models import OutboxMessage, Village, db
from service.states import MessageKind, MessageStatus
from service.web.admin.periods import day_bounds, parse_day


@dataclass(frozen=True)
class MessageFilter:
    """What the officer asked for; unknown values are dropped rather than failing."""

    status: str = ""
    kind: str = ""
    village_id: int | None = None
    first: date | None = None
    last: date | None = None

    @classmethod
    def from_args(cls, args):
        """Read the filter from a query string, ignoring anything it does not recognise."""
        status = args.get("status", "")
        kind = args.get("kind", "")
        village = args.get("village", "")
        return cls(
            status=status if status in set(MessageStatus) else "",
            kind=kind if kind in set(MessageKind) else "",
            village_id=_id(village),
            first=parse_day(args.get("from")),
            last=parse_day(args.get("to")),
        )

    def as_args(self):
        """The filter as query-string values, for pagination links and the CSV link."""
        values = {
            "status": self.status,
            "kind": self.kind,
            "village": self.village_id,
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat() if self.last else None,
        }
        return {key: value for key, value in values.items() if value}

    def apply(self, query):
        """Narrow a select of OutboxMessage by this filter."""
        if self.status:
            query = query.where(OutboxMessage.status == self.status)
        if self.kind:
            query = query.where(OutboxMessage.kind == self.kind)
        if self.village_id is not None:
            query = query.where(OutboxMessage.village_id == self.village_id)
        start, end = day_bounds(self.first, self.last)
        if start:
            query = query.where(OutboxMessage.created_at >= start)
        if end:
            query = query.where(OutboxMessage.created_at < end)
        return query


def _id(text):
    """A row id typed in a query string: ASCII digits that fit an INTEGER column, else None."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) < 2**31:
        return int(text)
    return None


def message_query(selection):
    """Outbox rows (newest first), narrowed by `selection`."""
    return selection.apply(select(OutboxMessage).order_by(OutboxMessage.id.desc()))


def village_names():
    """{village id: name}: villages are few, so one small query beats a join per row."""
    return dict(db.session.execute(select(Village.id, Village.name)).all())


def message_page(selection, page=1, per_page=50):
    """One page of the log, with a total count for the pager."""
    return db.paginate(message_query(selection), page=page, per_page=per_page, error_out=False)
