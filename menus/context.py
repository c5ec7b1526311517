"""What a screen sees while it renders or handles a key: the caller, the clock, the mode."""

from menus.store import Frame
from menus.text import t

ROOTS = {"caregiver": "main", "facilitator": "fac.main", "guest": "reg.welcome"}


class Hop:
    """One hop's view of a session; `live` is False while an old path is being replayed.

    Screens write to the database only when `live`: a replayed key already had its effect
    on the hop that first carried it.
    """

    def __init__(self, state, *, now, config):
        self.state = state
        self.now = now
        self.config = config
        self.live = False
        self.pages = {}  # layouts computed during this hop

    @property
    def data(self):
        """Answers of the form in progress (registration, a new child)."""
        return self.state.data

    @property
    def actor(self):
        """Who the audit log names for a change made on this session."""
        return f"ussd:{self.state.phone}"

    @property
    def root(self):
        """The caller's main screen: caregiver menu, facilitator menu or registration."""
        return ROOTS[self.state.role]

    def t(self, key, **values):
        """Catalog text in the caller's current language."""
        return t(self.state.lang, key, **values)

    def reset(self):
        """Back to the caller's main screen, as `00` does."""
        self.state.stack = [Frame(self.root)]
