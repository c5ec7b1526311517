"""Words that may mean a child is being hurt, married off, or that someone thinks of suicide:
matched in any message at all, so the reply can fit what was said."""

import re
from dataclasses import dataclass

from messages.grammar import clean
from service.states import Concern

# "pukul" is "hit" but also "o'clock": "pukul 15.00" is a meeting time, not a report.
CLOCK_WORDS = frozenset({"pukul"})
_FOLLOWED_BY_NUMBER = re.compile(r"\s*\d")
NEAR = 8  # words between "dinikahkan" and "cucu"/"umur" for them to be about one child
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@dataclass(frozen=True)
class Finding:
    """One concern a message raises, with the words that raised it."""

    concern: Concern
    words: tuple[str, ...]


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


def marriage_words(text, stems, child_words, near=NEAR):
    """Marriage words ("dinikahkan", "married") with a child word ("cucu", "umur") near them.

    A stem matches inside a word (nikah: menikah, dinikahkan, pernikahan); child words match
    whole words. Returns the marriage words and child words found together, else [].
    """
    tokens = [token.casefold() for token in _TOKEN.findall(clean(text))]
    weddings = [i for i, token in enumerate(tokens) if any(stem in token for stem in stems)]
    children = [i for i, token in enumerate(tokens) if token in child_words]
    pairs = [(w, c) for w in weddings for c in children if abs(w - c) <= near]
    found = [tokens[i] for pair in pairs for i in pair]
    return list(dict.fromkeys(found))


def assess(text, config):
    """Every concern the text raises, most urgent first (suicide, marriage, harm)."""
    found = {
        Concern.SUICIDE: find_words(text, word_list(config["SUICIDE_WORDS"])),
        Concern.MARRIAGE: marriage_words(
            text, word_list(config["MARRIAGE_WORDS"]), set(word_list(config["CHILD_WORDS"]))
        ),
        Concern.HARM: find_words(text, word_list(config["SAFEGUARDING_WORDS"])),
    }
    return [Finding(concern, tuple(words)) for concern, words in found.items() if words]
