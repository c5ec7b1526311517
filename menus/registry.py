"""The one registry of USSD screens: each screen is data, declared once by name."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from menus.context import Hop


class DuplicateScreen(ValueError):
    """Raised when two screens claim one name: a menu must never be ambiguous."""


@dataclass(frozen=True)
class Go:
    """Show `screen` next; `back_to` first unwinds the stack to that screen (after a save)."""

    screen: str
    arg: Any = None
    back_to: str | None = None


@dataclass(frozen=True)
class Stay:
    """Show the same screen again with a one-line hint (a catalog key)."""

    hint: str


@dataclass(frozen=True)
class Option:
    """A numbered choice: go to a screen, or run an action that returns Go/Stay."""

    label: str
    goto: str | None = None
    do: Callable[[Hop, Any], Go | Stay] | None = None


@dataclass(frozen=True)
class Screen:
    """One USSD screen as data; the engine renders, pages and routes keys for all of them.

    title: catalog key of the first line. body(ctx, arg): dynamic text (may span pages).
    items(ctx, arg): (label, value) pairs of a paged list, numbered on each page when
    pick(ctx, arg, value) can choose one; `empty` is the catalog key shown for no items.
    prompt: catalog key shown above the options on the last page. read(ctx, arg, text):
    free-text input. zero_is_input: "0" is an answer here (month unknown), not "back".
    """

    name: str
    title: str | None = None
    body: Callable[[Hop, Any], str] | None = None
    items: Callable[[Hop, Any], list[tuple[str, Any]]] | None = None
    pick: Callable[[Hop, Any, Any], Go | Stay] | None = None
    empty: str | None = None
    prompt: str | None = None
    options: tuple[Option, ...] = ()
    read: Callable[[Hop, Any, str], Go | Stay] | None = None
    end: bool = False
    zero_is_input: bool = False


class Registry:
    """Screens by name; a second screen with a taken name is refused."""

    def __init__(self) -> None:
        self._screens: dict[str, Screen] = {}

    def add(self, *screens: Screen) -> None:
        """Register screens, refusing duplicates and screens that mix list and options."""
        for screen in screens:
            if screen.name in self._screens:
                raise DuplicateScreen(f"screen {screen.name!r} is declared twice")
            if screen.items and screen.options:
                raise ValueError(f"screen {screen.name!r} has both a list and options")
            self._screens[screen.name] = screen

    def __getitem__(self, name: str) -> Screen:
        return self._screens[name]

    def __contains__(self, name: object) -> bool:
        return name in self._screens

    def names(self) -> list[str]:
        """Every registered screen name, sorted (the meta-test walks this)."""
        return sorted(self._screens)

    def screens(self) -> list[Screen]:
        """Every registered screen."""
        return list(self._screens.values())


REGISTRY = Registry()
