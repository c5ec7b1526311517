"""The facilitator's menu: the village's households, next meeting and callback requests."""

from menus.data import caller, facilitator
from menus.registry import REGISTRY, Go, Option, Screen, Stay
from menus.text import clip
from service import callbacks
from service.states import CallbackStatus, RsvpAnswer

NAME_IN_LIST = 16


def title_text(ctx, arg):
    return ctx.t("fac.title", village=caller.place(ctx.state.village).name)


def household_items(ctx, arg):
    """ "123450 Mbah Sumini (pending)" lines, pending ones first."""
    return [
        (
            ctx.t(
                "fac.household",
                code=code,
                name=clip(name or "-", NAME_IN_LIST),
                status=ctx.t("household." + status),
            ),
            None,
        )
        for code, status, name in facilitator.households(ctx.state.village)
    ]


def meeting_text(ctx, arg):
    """The next meeting and how many said they will come or not."""
    row = caller.next_meeting(ctx.state.village, ctx.now)
    if row is None:
        return ctx.t("meeting.none")
    counts = facilitator.rsvp_counts(row.id)
    when = caller.local_time(row.starts_at, ctx.state.village, ctx.state.lang)
    return ctx.t(
        "fac.meeting.rsvps",
        when=when,
        place=row.place,
        coming=counts.get(RsvpAnswer.COMING, 0),
        not_coming=counts.get(RsvpAnswer.NOT_COMING, 0),
    )


def callback_items(ctx, arg):
    village, lang = ctx.state.village, ctx.state.lang

    def asked(at):
        return caller.local_time(at, village, lang, caller.DAY_FORMAT)

    rows = callbacks.open_callbacks(village)
    return [(f"{clip(name, NAME_IN_LIST)} {asked(at)}", id_) for id_, name, at in rows]


def callback_text(ctx, callback_id):
    row = callbacks.callback(callback_id, ctx.state.village)
    if row is None:
        return ctx.t("fac.callback.gone")
    when = caller.local_time(row.created_at, ctx.state.village, ctx.state.lang, caller.DAY_FORMAT)
    key = "fac.callback.open" if row.status == CallbackStatus.OPEN else "fac.callback.closed"
    return ctx.t(key, name=clip(row.name, 40), phone=row.phone, when=when)


def close_callback(ctx, callback_id):
    """Mark the request done; one already closed (by another hop) gets a hint."""
    village = ctx.state.village
    if ctx.live and not facilitator.close_callback(callback_id, village, ctx.actor, ctx.now):
        return Stay("hint.gone")
    return Go("fac.callback.done", back_to="fac.callbacks")


REGISTRY.add(
    Screen(
        "fac.main",
        body=title_text,
        options=(
            Option("fac.households", goto="fac.households"),
            Option("fac.meeting", goto="fac.meeting"),
            Option("fac.callbacks", goto="fac.callbacks"),
            Option("main.language", goto="language"),
            Option("main.exit", goto="exit"),
        ),
    ),
    Screen(
        "fac.households",
        title="fac.households.title",
        items=household_items,
        empty="fac.households.none",
    ),
    Screen("fac.meeting", title="meeting.title", body=meeting_text),
    Screen(
        "fac.callbacks",
        title="fac.callbacks.title",
        items=callback_items,
        pick=lambda ctx, arg, callback_id: Go("fac.callback", arg=callback_id),
        empty="fac.callbacks.none",
    ),
    Screen(
        "fac.callback",
        body=callback_text,
        options=(Option("fac.callback.close", do=close_callback),),
    ),
    Screen("fac.callback.done", title="fac.callback.done"),
)
