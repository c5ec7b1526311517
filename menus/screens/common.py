"""Screens every caller shares: choosing a language and saying goodbye."""

from menus.data import caregiver, facilitator
from menus.registry import REGISTRY, Go, Screen
from service.languages import registry

MENUS = "menus"  # the part a language must cover to be offered on the language screen


def language_items(ctx, arg):
    """Every language the menus speak, each in its own name, in the registry's order."""
    return [(language.name, language.code) for language in registry().offering(MENUS)]


def choose_language(ctx, arg, lang):
    """Switch at once, for this session and (for known callers) for good."""
    if lang not in registry():
        return Go("language")
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
    Screen("language", title="language.title", items=language_items, pick=choose_language),
    Screen("language.saved", title="language.saved"),
    Screen("exit", title="exit.bye", end=True),
)
