"""Splitting a screen into pages that each fit one USSD reply, with `98` for more.

A page holds part of the head text (wrapped at spaces), whole list lines (numbered from 1 on
each page), and, on the last page only, the prompt and options; every page ends with the
navigation line. Pages are a pure function of the content, so a replayed session lands on
the same page.
"""

from dataclasses import dataclass

LONGEST_WORD = 40  # longer runs are cut, so one pasted blob cannot swallow a page


@dataclass(frozen=True)
class Page:
    """One page's text and which list items (by index) it shows as 1, 2, ..."""

    text: str
    first_item: int = 0
    item_count: int = 0


@dataclass(frozen=True)
class _Unit:
    joiner: str  # "\n" starts a line, " " continues one, "" glues a cut word
    text: str
    item: int | None = None


def _units(head, items):
    """The head as words and the list as whole lines, in reading order."""
    units = []
    for line in head.split("\n") if head else ():
        joiner = "\n"
        for word in line.split():
            for start in range(0, len(word), LONGEST_WORD):
                units.append(_Unit(joiner, word[start : start + LONGEST_WORD]))
                joiner = "" if start + LONGEST_WORD < len(word) else " "
    units += [_Unit("\n", label, index) for index, label in enumerate(items)]
    return units


def _render(units, numbered):
    """The text of consecutive units, items numbered from 1 when they can be chosen."""
    parts, number = [], 0
    for position, unit in enumerate(units):
        text = unit.text
        if unit.item is not None and numbered:
            number += 1
            text = f"{number} {text}"
        parts.append(("" if position == 0 else unit.joiner) + text)
    return "".join(parts)


def _with_footer(content, footer):
    return "\n".join(part for part in (content, footer) if part)


def _page(units, footer, numbered):
    item_units = [unit.item for unit in units if unit.item is not None]
    first = item_units[0] if item_units else 0
    return Page(_with_footer(_render(units, numbered), footer), first, len(item_units))


def _fill(units, start, room, numbered):
    """How many units from `start` fit in `room` characters (at least one)."""
    used, end, number = 0, start, 0
    while end < len(units):
        unit = units[end]
        width = len(unit.text)
        if unit.item is not None and numbered:
            number += 1
            width += len(str(number)) + 1
        width += 0 if end == start else len(unit.joiner)
        if used + width > room and end > start:
            break
        used += width
        end += 1
    return end


def paginate(head, items, last_footer, more_footer, budget, numbered=True):
    """Pages for `head` text and list `items`; `last_footer` closes the final page."""
    units = _units(head, items)
    pages, start = [], 0
    while True:
        rest = units[start:]
        if not rest or len(_with_footer(_render(rest, numbered), last_footer)) <= budget:
            pages.append(_page(rest, last_footer, numbered))
            return pages
        end = _fill(units, start, budget - len(more_footer) - 1, numbered)
        pages.append(_page(units[start:end], more_footer, numbered))
        start = end
