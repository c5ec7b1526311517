"""Screens every caller shares: choosing a language and saying goodbye."""

from functools import partial

from menus.data import caregiver, facilitator
from menus.registry import REGISTRY, Go, Option, Screen


def choose_language(lang, ctx, arg):
    """Switch at once, for this session and (for known callers) for good."""
    ctx.state.lang = lang
    role, person = ctx.state.role, ctx.state.person
    if role == "guest":
        ctx.state.chosen_lang = True
    elif ctx.live and role == "caregiver":
        caregiver.set_caregiver(person, ctx.actor, language=lang)
    elif ctx.live and role == "facilitator":
        facilitator.set_facilitator_language(person, lang, ctx.actor)
    return Go("language.saved", back_to=ctx.root)


REGISTRY.add(
    Screen(
        "language",
        title="language.title",
        options=(
            Option("language.id", do=partial(choose_language, "id")),
            Option("language.en", do=partial(choose_language, "en")),
        ),
    ),
    Screen("language.saved", title="language.saved"),
    Screen("exit", title="exit.bye", end=True),
)
