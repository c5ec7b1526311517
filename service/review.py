"""Whether a translation is a draft or signed off by a named reviewer, read from its own files.

A .po catalog says it in its header (X-Review-Status, X-Reviewed-By, X-Reviewed-On); a lesson
file in a [review] table, and a lesson may carry its own `review = {...}`. Texts written in a
source language (id, en) are the originals and need no review.
"""

from dataclasses import dataclass
from datetime import date

from service.i18n import read_headers

DRAFT, REVIEWED, SOURCE, MISSING = "draft", "reviewed", "source", "missing"
STATUSES = (DRAFT, REVIEWED)
HEADERS = ("X-Review-Status", "X-Reviewed-By", "X-Reviewed-On")


@dataclass(frozen=True)
class Review:
    """A text's review state: draft, reviewed (by whom, on which day), source or missing."""

    status: str
    by: str = ""
    on: str = ""

    @property
    def signed_off(self) -> bool:
        """True when a native speaker vouched for it (or it is an original)."""
        return self.status in (REVIEWED, SOURCE) and (self.status == SOURCE or self.complete)

    @property
    def complete(self) -> bool:
        """A reviewed text names its reviewer and the day (YYYY-MM-DD)."""
        return bool(self.by.strip()) and _is_date(self.on)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return False
    return len(text.strip()) == 10


def from_table(table: object) -> Review:
    """A [review] table (or inline table) as a Review; none at all is MISSING."""
    if not isinstance(table, dict):
        return Review(MISSING)
    return Review(
        str(table.get("status") or MISSING), str(table.get("by") or ""), str(table.get("on") or "")
    )


def from_po(path) -> Review:
    """The review fields of a .po file's header."""
    headers = read_headers(path)
    status, by, on = (headers.get(name, "") for name in HEADERS)
    return Review(status or MISSING, by, on)


def problems(where: str, review: Review, how: str = "[review] status") -> list[str]:
    """What is wrong with a review record, as sentences a translator can act on."""
    if review.status == MISSING:
        return [
            f'{where}: no review status; set {how} = "draft" until a named reviewer signs it off'
        ]
    if review.status not in STATUSES:
        return [f"{where}: review status {review.status!r} is not one of {', '.join(STATUSES)}"]
    if review.status == REVIEWED and not review.by.strip():
        return [f"{where}: reviewed, but by whom? name the reviewer"]
    if review.status == REVIEWED and not _is_date(review.on):
        return [f"{where}: reviewed, but on {review.on!r}; give the day as YYYY-MM-DD"]
    return []


def lesson_review_problems(file_name: str, data: dict) -> list[str]:
    """The file's [review] table and any lesson's own review of one translated lesson file."""
    found = problems(file_name, from_table(data.get("review")))
    for index, entry in enumerate(data.get("lesson") or []):
        if isinstance(entry, dict) and "review" in entry:
            where = f"{file_name} {entry.get('id') or f'lesson #{index + 1}'}"
            found += problems(where, from_table(entry["review"]), "review.status")
    return found


def po_review_problems(path, where: str) -> list[str]:
    """The review header of one translated .po catalog."""
    return problems(where, from_po(path), "the header X-Review-Status")
