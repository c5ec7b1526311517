"""Does every fixed USSD screen fit one page in every language the menus speak?

`asuh content check` asks, so a translator learns that a screen overflows before a caller
has to press 98 to find option 1 (screens with dynamic text are checked by the tests).
"""

from menus.context import ROOTS, Hop
from menus.engine import HINT_ROOM, page_budget
from menus.engine import _layout as layout
from menus.registry import REGISTRY
from menus.store import State
from menus.text import CATALOGS, t
from service.i18n import load_domain
from service.languages import registry

MENUS = "menus"


def screen_problems(screen_chars):
    """Every fixed screen and hint too long for a page of a `screen_chars` screen, in every
    language offering menus (the gateway says how much its phones show)."""
    budget = page_budget(screen_chars)
    problems = []
    for language in registry().offering(MENUS):
        problems += [_screen_problem(s, language.code, budget) for s in _fixed_screens()]
        problems += _hint_problems(language.code)
    return [problem for problem in problems if problem]


def _fixed_screens():
    return [screen for screen in REGISTRY.screens() if not (screen.body or screen.items)]


def _screen_problem(screen, lang, budget):
    """The screen at its deepest (with back and home) must be one page."""
    depth = 1 if screen.name in ROOTS.values() else 3
    state = State(phone="", role="guest", lang=lang, stack=[[screen.name, 0, None]] * depth)
    pages, _ = layout(Hop(state, now=None, config=None), screen, state.stack[-1], budget)
    if len(pages) == 1 and len(pages[0].text) <= budget:
        return None
    size = sum(len(page.text) for page in pages)
    return (
        f"menus {lang}: screen {screen.name} takes {len(pages)} pages ({size} characters); "
        f"a screen with its options must fit {budget}"
    )


def _hint_problems(lang):
    """A hint sits above a page, in the room pages leave for it."""
    root = load_domain(CATALOGS).get(registry().root.code, {})
    return [
        f"menus {lang}: {key} is {len(t(lang, key))} characters; hints fit {HINT_ROOM - 1}"
        for key in sorted(root)
        if key.startswith("hint.") and len(t(lang, key)) + 1 > HINT_ROOM
    ]
