"""Words that may mean a child is being hurt: matched as whole words in any message at all."""

import re

from messages.grammar import clean

# "pukul" is "hit" but also "o'clock": "pukul 15.00" is a meeting time, not a report.
CLOCK_WORDS = frozenset({"pukul"})
_FOLLOWED_BY_NUMBER = re.compile(r"\s*\d")


def word_list(setting):
    """The configured comma-separated list as lower-case words (or phrases)."""
    return tuple(dict.fromkeys(w.strip().lower() for w in (setting or "").split(",") if w.strip()))


def find_words(text, words):
    """The listed words present in the text as whole words, case-insensitively."""
    text = clean(text)
    return [word for word in words if _present(word, text)]


def _present(word, text):
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    for match in pattern.finditer(text):
        if word in CLOCK_WORDS and _FOLLOWED_BY_NUMBER.match(text, match.end()):
            continue
        return True
    return False
