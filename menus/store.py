"""The USSD session store: a compact state per session in Redis, expiring after each hop.

Only what cannot be cheaply recomputed is kept: who is calling, the screen stack and the
answers of a form in progress. Rendered text never is, so a live session stays well under
1 KB. Losing the state is harmless: the engine replays the `text` path.
"""

import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from service.redis_keys import USSD_SESSION, key

MIN_TTL = 180  # Africa's Talking keeps a session up to 180 s; ours must outlive it

SHORT = {
    "phone": "p",
    "role": "r",
    "person": "i",
    "lang": "l",
    "village": "v",
    "household": "h",
    "stack": "s",
    "data": "d",
    "consumed": "n",
    "checksum": "c",
    "chosen_lang": "x",
}
LONG = {short: name for name, short in SHORT.items()}


@dataclass
class Frame:
    """One screen on the stack: its name, the page shown, and what it was opened with."""

    screen: str
    page: int = 0
    arg: Any = None

    @classmethod
    def of(cls, value: "Frame | list[Any]") -> "Frame":
        """A Frame from a stored [screen, page, arg] list (or the Frame itself)."""
        return value if isinstance(value, Frame) else cls(*value)

    def as_list(self) -> list[Any]:
        return [self.screen, self.page, self.arg]


@dataclass
class State:
    """Who is calling and where they are; `consumed` keys of `text` are already applied."""

    phone: str
    role: str  # "caregiver" | "facilitator" | "guest"
    lang: str
    person: int | None = None
    village: int | None = None
    household: int | None = None
    stack: list[Frame] = field(default_factory=list)  # the screen shown last is on top
    data: dict[str, Any] = field(default_factory=dict)  # answers of a form in progress
    consumed: int = 0
    checksum: int = 0
    chosen_lang: bool = False

    def __post_init__(self) -> None:
        self.stack = [Frame.of(frame) for frame in self.stack]

    def follows(self, phone: str, keys: list[str]) -> bool:
        """True when this state is the same caller's and `keys` extend what it applied."""
        return (
            self.phone == phone
            and self.consumed <= len(keys)
            and self.checksum == path_checksum(keys[: self.consumed])
        )

    def mark_consumed(self, keys: list[str]) -> None:
        self.consumed = len(keys)
        self.checksum = path_checksum(keys)


ALWAYS = ("phone", "role", "lang")
DEFAULTS = vars(State(phone="", role="", lang=""))


def path_checksum(keys: list[str]) -> int:
    """A short fingerprint of a key path, so a state is only reused for its own path."""
    return zlib.crc32("*".join(keys).encode())


def dumps(state: State) -> str:
    """Compact JSON: short field names, defaults left out, frames as [screen, page, arg]."""
    values = {
        SHORT[name]: value
        for name, value in vars(state).items()
        if name in ALWAYS or value != DEFAULTS[name]
    }
    if "s" in values:
        values["s"] = [frame.as_list() for frame in state.stack]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def loads(raw: str | bytes) -> State | None:
    """A State from stored JSON, or None when it is unreadable (then the path is replayed)."""
    try:
        values = json.loads(raw)
        return State(**{LONG[short]: value for short, value in values.items()})
    except (ValueError, TypeError, KeyError):
        return None


def load(redis, session_id):
    """The stored state, or None; Redis errors propagate to the caller."""
    raw = redis.get(key(USSD_SESSION, session_id=session_id))
    return None if raw is None else loads(raw)


def save(redis, session_id, state, ttl):
    """Store the state; the key expires `ttl` seconds (at least MIN_TTL) after this hop."""
    redis.set(key(USSD_SESSION, session_id=session_id), dumps(state), ex=max(MIN_TTL, ttl))


def drop(redis, session_id):
    """Forget a finished session at once instead of waiting for its expiry."""
    redis.delete(key(USSD_SESSION, session_id=session_id))
