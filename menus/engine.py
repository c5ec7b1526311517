"""The USSD menu engine: one hop of a session in, the screen's text and whether it ends out.

Each hop carries the whole `text` path ("1*2*98"). The session state in Redis records how
many keys were already applied, so a normal hop applies just the newest key; when the state
is missing (expired, flushed) or belongs to another path, the path is replayed from the
caller's main screen with database writes held back (they happened on the hop that first
carried each key), and only the newest key is applied live. Either way the caller lands on
the same screen. `0` goes back (a page, then a screen), `00` home, `98` to the next page.

The engine speaks no gateway's language: the caller says how many characters a screen holds
(`screen_chars`) and wraps the Reply in its provider's format (Africa's Talking's CON/END is
workers/gateway/africastalking.py's business).
"""

import logging
from dataclasses import dataclass
from functools import lru_cache

from blinker import Namespace
from flask import current_app
from redis import RedisError

import menus.screens  # noqa: F401 - registers every screen
from menus import store
from menus.context import ROOTS, Hop
from menus.data import caller
from menus.paging import paginate
from menus.registry import REGISTRY, Go, Stay
from menus.text import gsm_safe, t
from service.models import db, utcnow
from service.phones import mask, try_normalise

log = logging.getLogger("asuh.ussd")

BACK, HOME, MORE = "0", "00", "98"
MAX_KEYS = 120  # a real session has a few dozen hops at most
MAX_TEXT = 4000
MAX_DEPTH = 12
HINT_ROOM = 25  # every page leaves room for a one-line hint above it

signals = Namespace()
screen_shown = signals.signal("ussd-screen-shown")  # tests record visited screens with it


@dataclass(frozen=True)
class Reply:
    """What one hop shows: the screen's text, and whether the session ends with it."""

    text: str
    ended: bool


def page_budget(screen_chars):
    """Characters a page may use: the screen less the room kept for a hint above it."""
    return screen_chars - HINT_ROOM


def respond(session_id, phone_number, text, *, screen_chars, now=None):
    """The Reply to one hop, at most `screen_chars` long; never raises."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    phone = normalised(phone_number or "")
    if phone is None:
        return _end(t(default, "error.phone"), screen_chars)
    keys = split_keys(text)
    if keys is None:
        return _end(t(default, "error.long"), screen_chars)
    redis = current_app.extensions["redis"]
    try:
        state = store.load(redis, session_id) if session_id else None
    except RedisError:
        log.warning("ussd: Redis unavailable; asking %s to try again", mask(phone))
        return _end(t(_language_of(phone, default), "error.retry"), screen_chars)
    try:
        state, reply = _advance(state, phone, keys, now or utcnow(), screen_chars)
    except Exception:
        log.exception("ussd: hop failed (session %s, text %r)", session_id, (text or "")[:200])
        db.session.rollback()
        lang = state.lang if state is not None else _language_of(phone, default)
        return _end(t(lang, "error.retry"), screen_chars)
    _keep(redis, session_id, state, reply.ended)
    return reply


@lru_cache(maxsize=8192)
def normalised(phone_number):
    """E.164 of the caller; parsed once per number, not on every hop of a session."""
    return try_normalise(phone_number)


def split_keys(text):
    """The keys of a `text` path, or None when it is too long to be a real session."""
    text = text or ""
    if len(text) > MAX_TEXT:
        return None
    keys = text.split("*") if text else []
    return keys if len(keys) <= MAX_KEYS else None


def end_session(session_id):
    """Forget a session the gateway says has ended; False when Redis is unavailable."""
    try:
        store.drop(current_app.extensions["redis"], session_id)
    except RedisError:
        return False
    return True


def _end(text, screen_chars):
    return Reply(clamp(gsm_safe(text), screen_chars), ended=True)


def clamp(text, screen_chars):
    """Never send more than a phone shows; every screen is tested to fit already."""
    if len(text) <= screen_chars:
        return text
    log.warning("ussd: reply of %d characters cut: %r", len(text), text[:60])
    return text[:screen_chars]


def _language_of(phone, default):
    """The caller's stored language for the error screen, if the database can say."""
    try:
        return caller.identify(phone, default).lang
    except Exception:  # noqa: BLE001 - the error screen must not fail too
        db.session.rollback()
        return default


def _keep(redis, session_id, state, end):
    """Save the state for the next hop, or drop it when the session ended."""
    if not session_id:
        return
    try:
        if end:
            store.drop(redis, session_id)
        else:
            store.save(redis, session_id, state, current_app.config["USSD_SESSION_TTL"])
    except RedisError:
        log.warning("ussd: could not save session %s; the next hop replays it", session_id)


def _fresh(phone):
    """A new session's state: who is calling, on their main screen."""
    who = caller.identify(phone, current_app.config["DEFAULT_LANGUAGE"])
    return store.State(
        phone=phone,
        role=who.role,
        lang=who.lang,
        person=who.person,
        village=who.village,
        household=who.household,
    )


def _usable(state, phone, keys):
    """A stored state is reused only for its own path, with screens this release knows."""
    return (
        state is not None
        and state.follows(phone, keys)
        and state.role in ROOTS
        and all(frame.screen in REGISTRY for frame in state.stack)
    )


def _advance(state, phone, keys, now, screen_chars):
    """Apply the keys this hop adds (replaying the path when the state is lost); render."""
    if not _usable(state, phone, keys):
        state = _fresh(phone)
    ctx = Hop(state, now=now, config=current_app.config)
    budget = page_budget(screen_chars)
    if not state.stack:
        ctx.reset()
    pending = keys[state.consumed :]
    for key in pending[:-1]:
        _step(ctx, key, budget)
    ctx.live = True
    hint = _step(ctx, pending[-1], budget) if pending else None
    state.mark_consumed(keys)
    return state, _render(ctx, hint, budget, screen_chars)


def _step(ctx, key, budget):
    """Apply one key to the top screen; returns a hint key when the key was not valid."""
    key = key.strip()
    frame = ctx.state.stack[-1]
    screen = REGISTRY[frame.screen]
    if screen.end:  # only in a replay: the path went on after a goodbye, so start over
        ctx.reset()
        frame, screen = ctx.state.stack[-1], REGISTRY[ctx.root]
    if key == HOME:
        ctx.reset()
        return None
    if key == BACK and not screen.zero_is_input:
        return _back(ctx)
    pages, values = _pages(ctx, screen, frame, budget)
    index = min(frame.page, len(pages) - 1)
    if key == MORE and index < len(pages) - 1:
        frame.page = index + 1
        return None
    number = int(key) if key.isascii() and key.isdigit() and len(key) < 4 else None
    page = pages[index]
    if number and screen.pick and 1 <= number <= page.item_count:
        return _apply(ctx, screen.pick(ctx, frame.arg, values[page.first_item + number - 1]))
    on_last_page = index == len(pages) - 1
    if number and on_last_page and 1 <= number <= len(screen.options):
        option = screen.options[number - 1]
        return _apply(ctx, option.do(ctx, frame.arg) if option.do else Go(option.goto))
    if screen.read:
        return _apply(ctx, screen.read(ctx, frame.arg, key))
    return "hint.choice"


def _back(ctx):
    """One page back, else one screen back; the main screen stays put."""
    stack = ctx.state.stack
    if stack[-1].page > 0:
        stack[-1].page -= 1
    elif len(stack) > 1:
        stack.pop()
    return None


def _apply(ctx, outcome):
    """Follow a screen's answer: a hint to show, or the next screen."""
    ctx.pages.clear()  # the answer may have changed what screens show
    if isinstance(outcome, Stay):
        return outcome.hint
    stack = ctx.state.stack
    if outcome.back_to:
        while len(stack) > 1 and stack[-1].screen != outcome.back_to:
            stack.pop()
    stack.append(store.Frame(outcome.screen, 0, outcome.arg))
    if len(stack) > MAX_DEPTH:
        del stack[1]
    return None


def _nav(ctx, screen, depth):
    """The navigation line: back and home where they make sense."""
    if screen.end or depth == 1:
        return ""
    parts = [] if screen.zero_is_input else [ctx.t("nav.back")]
    if depth > 2 or screen.zero_is_input:
        parts.append(ctx.t("nav.home"))
    return " ".join(parts)


def _pages(ctx, screen, frame, budget):
    """A screen's pages, laid out once per hop (a fixed menu once per process)."""
    depth = len(ctx.state.stack)
    if not (screen.body or screen.items):
        return _fixed_layout(screen.name, ctx.state.lang, min(depth, 3), budget)
    memo = (screen.name, repr(frame.arg), depth)
    if memo not in ctx.pages:
        ctx.pages[memo] = _layout(ctx, screen, frame, budget)
    return ctx.pages[memo]


@lru_cache(maxsize=1024)
def _fixed_layout(name, lang, depth, budget):
    """Menus without dynamic text look the same for every caller of a language."""
    state = store.State(phone="", role="guest", lang=lang, stack=[store.Frame(name)] * depth)
    return _layout(Hop(state, now=None, config=None), REGISTRY[name], state.stack[-1], budget)


def _layout(ctx, screen, frame, budget):
    """The pages of a screen as it stands now, and the values behind its list items."""
    arg = frame.arg
    head = [ctx.t(screen.title)] if screen.title else []
    if screen.body:
        head.append(screen.body(ctx, arg))
    pairs = screen.items(ctx, arg) if screen.items else []
    if screen.items and not pairs and screen.empty:
        head.append(ctx.t(screen.empty))
    tail = [ctx.t(screen.prompt)] if screen.prompt else []
    tail += [f"{number} {ctx.t(o.label)}" for number, o in enumerate(screen.options, 1)]
    nav = _nav(ctx, screen, len(ctx.state.stack))
    pages = _paginate(
        gsm_safe("\n".join(head)),
        tuple(gsm_safe(label) for label, _ in pairs),
        "\n".join(tail + [nav] if nav else tail),
        " ".join(part for part in (ctx.t("nav.more"), nav) if part),
        budget,
        screen.pick is not None,
    )
    return pages, [value for _, value in pairs]


@lru_cache(maxsize=4096)
def _paginate(head, items, last_footer, more_footer, budget, numbered):
    """Pages of a text many callers see alike (this week's lesson), split once."""
    return paginate(head, items, last_footer, more_footer, budget, numbered=numbered)


def _render(ctx, hint, budget, screen_chars):
    """The Reply for the top screen, with the hint above it."""
    frame = ctx.state.stack[-1]
    screen = REGISTRY[frame.screen]
    pages, _ = _pages(ctx, screen, frame, budget)
    frame.page = min(frame.page, len(pages) - 1)
    text = pages[frame.page].text
    if hint:
        text = ctx.t(hint) + "\n" + text
    if screen_shown.receivers:
        screen_shown.send(current_app._get_current_object(), screen=screen.name, page=frame.page)
    return Reply(clamp(text, screen_chars), ended=screen.end)
