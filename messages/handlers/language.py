"""BAHASA code language: a facilitator sets the language a household's caregivers read.

The language may be given by its code (jv) or by a word of its name (jawa, Javanese), any
registered language; the reply lists the valid codes when the language is not known.
"""

from messages.handlers.context import CommandError
from messages.handlers.lookups import household_in_village
from service import audit
from service.languages import registry

NAME_FILLERS = frozenset(["bahasa", "basa", "base", "language"])  # "Bahasa Jawa" -> "jawa"


def set_language(ctx):
    """Every caregiver of the household gets SMS and menus in the language, audited."""
    household = household_in_village(ctx)
    language = _wanted(ctx)
    caregivers = list(household.caregivers)
    for caregiver in caregivers:
        caregiver.language = language.code
    audit.record(ctx.actor, "household.language", "household", household.id, language=language.code)
    names = ", ".join(caregiver.name for caregiver in caregivers) or "-"
    return ctx.text("reply.language.set", code=household.code, name=language.name, caregivers=names)


def _wanted(ctx):
    """The registered language named in the message, or the reason there is none."""
    choices = ", ".join(f"{x.code} ({x.name})" for x in registry())
    words = [word.lower() for word in ctx.parsed.words if word.lower() not in NAME_FILLERS]
    if not words:
        raise CommandError("error.language_missing", choices=choices)
    names = language_words()
    found = next((names[word] for word in words if word in names), None)
    if found is None:
        raise CommandError("error.language_unknown", typed=words[0], choices=choices)
    return found


def language_words():
    """{code or word of a name: language}: jv, jawa and javanese all name Javanese."""
    found = {}
    for language in registry():
        for name in (language.name, language.name_id, language.name_en):
            for word in name.lower().split():
                if word not in NAME_FILLERS:
                    found.setdefault(word, language)
        found[language.code] = language
    return found
