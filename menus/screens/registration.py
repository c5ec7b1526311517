"""Registration for a caller the database does not know: a few short steps, then consent.

The answers wait in the session state; nothing is written until the caller agrees.
"""

from functools import partial

from menus.data import caller, registration
from menus.registry import REGISTRY, Go, Option, Screen, Stay
from menus.screens.caregiver import parse_year
from menus.text import clip, gsm_safe
from service.states import Relationship

MAX_NAME = 40
MAX_CHILDREN = 8
VILLAGE_IN_CONSENT = 20  # so the consent and its answers fit one screen
RELATIONSHIPS = (
    Relationship.GRANDMOTHER,
    Relationship.GRANDFATHER,
    Relationship.MOTHER,
    Relationship.FATHER,
    Relationship.AUNT,
    Relationship.UNCLE,
    Relationship.SIBLING,
    Relationship.OTHER,
)


def read_name(ctx, arg, text):
    """A name with at least two letters, as the caller typed it (GSM-safe)."""
    name = " ".join(gsm_safe(text).split())
    if sum(ch.isalpha() for ch in name) < 2 or len(name) > MAX_NAME:
        return Stay("hint.name")
    ctx.data["name"] = name
    return Go("reg.village")


def village_items(ctx, arg):
    return [(name, village_id) for name, village_id in registration.villages()]


def pick_village(ctx, arg, village_id):
    """Remember the village; its language applies unless the caller chose one."""
    ctx.data["village"] = village_id
    if not ctx.state.chosen_lang:
        ctx.state.lang = caller.place(village_id).language
    return Go("reg.relationship")


def pick_relationship(relationship, ctx, arg):
    ctx.data["relationship"] = str(relationship)
    ctx.data["births"] = []
    return Go("reg.birth")


def read_birth(ctx, arg, text):
    year = parse_year(text, ctx.now)
    if year is None:
        return Stay("hint.year")
    ctx.data.setdefault("births", []).append(year)
    return Go("reg.more", back_to="reg.relationship")


def another_child(ctx, arg):
    if len(ctx.data.get("births", ())) >= MAX_CHILDREN:
        return Stay("hint.too_many")
    return Go("reg.birth")


def births_text(ctx, arg):
    years = ", ".join(str(year) for year in ctx.data.get("births", ()))
    return ctx.t("reg.more", years=years)


def consent_text(ctx, arg):
    village = ctx.data.get("village")
    name = caller.place(village).name if village else ""
    return ctx.t("reg.consent", village=clip(name, VILLAGE_IN_CONSENT))


def agree(ctx, arg):
    """Create the pending household, enrolled, and alert the village facilitator."""
    form = ctx.data
    if not all(form.get(field) for field in ("name", "village", "relationship", "births")):
        return Go("reg.name", back_to=ctx.root)
    code = None
    if ctx.live:
        code = registration.register(ctx.state.phone, form, ctx.state.lang, ctx.actor, ctx.now)
    return Go("reg.done", arg=[form["name"], code])


def done_text(ctx, arg):
    name, code = arg
    return ctx.t("reg.done", name=name, code=code or "")


REGISTRY.add(
    Screen(
        "reg.welcome",
        title="reg.welcome",
        options=(
            Option("reg.start", goto="reg.name"),
            Option("main.language", goto="language"),
            Option("main.exit", goto="exit"),
        ),
    ),
    Screen("reg.name", title="reg.name", read=read_name),
    Screen(
        "reg.village",
        title="reg.village",
        items=village_items,
        pick=pick_village,
        empty="reg.no_villages",
    ),
    Screen(
        "reg.relationship",
        title="reg.relationship",
        options=tuple(
            Option(f"relationship.{r}", do=partial(pick_relationship, r)) for r in RELATIONSHIPS
        ),
    ),
    Screen("reg.birth", title="child.year", read=read_birth),
    Screen(
        "reg.more",
        body=births_text,
        options=(
            Option("reg.another", do=another_child),
            Option("reg.continue", goto="reg.consent"),
        ),
    ),
    Screen(
        "reg.consent",
        body=consent_text,
        options=(Option("reg.agree", do=agree), Option("reg.decline", goto="reg.declined")),
    ),
    Screen("reg.done", body=done_text, end=True),
    Screen("reg.declined", title="reg.declined", end=True),
)
