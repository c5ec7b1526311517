"""The registered caregiver's menu: lesson, meeting, children, language, SMS, callback."""

from functools import lru_cache, partial

from menus.data import caller, caregiver
from menus.registry import REGISTRY, Go, Option, Screen, Stay
from messages.lessons import births_bands, load_catalog, own_services
from service.households import MAX_CHILDREN
from service.languages import extra_dirs
from service.states import FeedbackAnswer, PersonStatus, RsvpAnswer, TimeOfDay, Track

NAME_WIDTH = 15  # the lesson files are checked with {name} at this length
MAX_CHILD_AGE = 18


def parse_year(text, now):
    """A birth year of a child under 18, or None."""
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if now.year - MAX_CHILD_AGE <= year <= now.year else None


# ---------------------------------------------------------------- lesson


def open_lesson(ctx, arg):
    """Find the caregiver's last lesson once, about the child the SMS spoke of; its pages are
    rendered from the catalog."""
    name, position, last_lesson, births = caregiver.lesson_facts(ctx.state.person)
    catalog, where = load_catalog(), caller.place(ctx.state.village)
    moved = catalog.position_of(Track.CAREGIVER, last_lesson, where.name, where.province)
    position = position if moved is None else moved  # the content changed since it was sent
    position = min(position, catalog.count(Track.CAREGIVER, where.name, where.province) - 1)
    bands = births_bands(births, ctx.now.date())
    band = catalog.band_for(Track.CAREGIVER, position, bands, where.name, where.province)
    first_name = name if len(name) <= NAME_WIDTH else name.split()[0][:NAME_WIDTH]
    return Go("lesson", arg=[position, band, first_name])


def lesson_text(ctx, arg):
    """Title and text of the lesson, in the caller's language, for their child's age."""
    position, band, name = arg
    where = caller.place(ctx.state.village)
    services = load_catalog().local_services(
        where.name, where.province, own_services(where), {"hotline": ctx.config["CHILD_HOTLINE"]}
    )
    code = ctx.config["USSD_SERVICE_CODE"]
    shape = (position, band, name, ctx.state.lang, where.name, where.province, code)
    return _lesson_text(*shape, tuple(sorted(services.items())), extra_dirs())


@lru_cache(maxsize=4096)
def _lesson_text(position, band, name, lang, village, province, code, services, languages):
    """Rendered once per process for each caller shape (and set of extra language folders):
    the pages of a lesson repeat a lot."""
    catalog = load_catalog()  # a lesson not written in `lang` comes along its fallback chain
    lesson = catalog.lesson(Track.CAREGIVER, position, lang, village, province)
    text = catalog.render(
        Track.CAREGIVER,
        position,
        lang,
        band=band,
        village=village,
        province=province,
        name=name,
        ussd=code,
        **dict(services),
    )
    return f"{lesson.title}\n{text}"


def lesson_feedback(answer, ctx, arg):
    """Store "did you try it?" for this lesson (a second answer replaces the first)."""
    if ctx.live:
        catalog, where = load_catalog(), caller.place(ctx.state.village)
        lesson = catalog.lesson(Track.CAREGIVER, arg[0], ctx.state.lang, where.name, where.province)
        caregiver.save_feedback(ctx.state.person, lesson.id, answer)
    return Go("lesson.thanks", back_to="main")


# ---------------------------------------------------------------- previous lessons

PREVIOUS = 10  # lessons listed, most recent first; the list pages with 98
BRAND = "Asuh:"


def previous_items(ctx, arg):
    """The last lessons that reached the caller, by title, most recent first."""
    rows = caregiver.received_lessons(ctx.state.person, PREVIOUS)
    catalog = load_catalog()
    return [(_title(catalog, row.lesson_id, ctx.state.lang), row.id) for row in rows]


def _title(catalog, lesson_id, lang):
    """A lesson's title in the caller's language, else along its fallback chain, else its id."""
    found = catalog.find_along(lesson_id or "", lang)
    return found.title if found is not None else lesson_id or "?"


def pick_previous(ctx, arg, value):
    return Go("lesson.previous.one", arg=value)


def previous_text(ctx, outbox_id):
    """The lesson as it was received, without the brand the SMS carried."""
    body = caregiver.received_lesson(ctx.state.person, outbox_id, PREVIOUS)
    if body is None:
        return ctx.t("previous.none")
    return body.removeprefix(BRAND).strip()


# ---------------------------------------------------------------- meeting


def open_meeting(ctx, arg):
    """The village's next meeting, fixed for this visit so the answer is about it."""
    row = caller.next_meeting(ctx.state.village, ctx.now)
    return Go("meeting", arg=row.id) if row else Go("meeting.none")


def meeting_text(ctx, meeting_id):
    """When and where, in the village's time zone, and the caller's answer so far."""
    row = caller.next_meeting(ctx.state.village, ctx.now)
    if row is None or row.id != meeting_id:
        row = caller.meeting(meeting_id)
    if row is None:
        return ctx.t("meeting.none")
    when = caller.local_time(row.starts_at, ctx.state.village, ctx.state.lang)
    text = ctx.t("meeting.when", when=when, place=row.place)
    answer = caregiver.rsvp_of(meeting_id, ctx.state.person)
    return f"{text}\n{ctx.t('meeting.answered.' + answer)}" if answer else text


def meeting_answer(answer, ctx, meeting_id):
    """Store "will you come?" (a second answer replaces the first)."""
    if ctx.live:
        caregiver.save_rsvp(meeting_id, ctx.state.person, answer)
    return Go("meeting.thanks", arg=str(answer), back_to="main")


# ---------------------------------------------------------------- children


def children_text(ctx, arg):
    """One line per child: birth month/year and age."""
    rows = caregiver.children(ctx.state.household)
    if not rows:
        return ctx.t("children.empty")
    return "\n".join(_child_line(ctx, year, month) for year, month in rows)


def _child_line(ctx, year, month):
    born = f"{month:02d}/{year}" if month else str(year)
    return ctx.t("children.line", born=born, age=max(caregiver.age(year, month, ctx.now), 0))


def add_child(ctx, arg):
    """The year form, unless the household has as many children as one may list."""
    if len(caregiver.children(ctx.state.household)) >= MAX_CHILDREN:
        return Stay("hint.too_many")
    return Go("children.year")


def read_child_year(ctx, arg, text):
    year = parse_year(text, ctx.now)
    if year is None:
        return Stay("hint.year")
    ctx.data["year"] = year
    return Go("children.month")


def read_child_month(ctx, arg, text):
    """Month 1-12, or 0 when unknown; a month still to come this year is refused."""
    year = ctx.data.get("year")
    month = int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else -1
    if year is None or not 0 <= month <= 12:
        return Stay("hint.month")
    if year == ctx.now.year and month > ctx.now.month:
        return Stay("hint.month")
    if ctx.live:
        caregiver.add_child(ctx.state.household, year, month or None, ctx.actor)
    ctx.data.pop("year", None)
    return Go("children.added", arg=[year, month], back_to="children")


def child_added_text(ctx, arg):
    year, month = arg
    return ctx.t("children.added", born=f"{month:02d}/{year}" if month else str(year))


# ---------------------------------------------------------------- SMS settings


def settings_text(ctx, arg):
    row = caregiver.caregiver_settings(ctx.state.person)
    status, time = row if row is not None else (PersonStatus.ACTIVE, TimeOfDay.MORNING)
    return ctx.t("settings.now", status=ctx.t("status." + status), time=ctx.t("time." + time))


def set_lessons(status, ctx, arg):
    """Pause or resume; a caregiver who sent STOP is told how to start again instead."""
    row = caregiver.caregiver_settings(ctx.state.person)
    if row is None or row.status in (PersonStatus.STOPPED, PersonStatus.INACTIVE):
        return Go("settings.saved", arg="stopped", back_to="settings")
    if ctx.live:
        caregiver.set_lessons(ctx.state.person, status, ctx.actor)
    return Go("settings.saved", arg=str(status), back_to="settings")


def set_time(time, ctx, arg):
    if ctx.live:
        caregiver.set_caregiver(ctx.state.person, ctx.actor, preferred_time=time)
    return Go("settings.saved", arg=f"time.{time}", back_to="settings")


def saved_text(ctx, arg):
    if arg and arg.startswith("time."):
        return ctx.t("settings.saved.time", time=ctx.t(arg))
    return ctx.t(f"settings.saved.{arg}")


# ---------------------------------------------------------------- callback


def ask_callback(ctx, arg):
    """One open request at a time: asking again does not alert the facilitator again."""
    if ctx.live and not caregiver.request_callback(ctx.state.person, ctx.actor, ctx.now):
        return Go("callback.already")
    return Go("callback.sent")


REGISTRY.add(
    Screen(
        "main",
        title="main.title",
        options=(
            Option("main.lesson", do=open_lesson),
            Option("main.meeting", do=open_meeting),
            Option("main.children", goto="children"),
            Option("main.language", goto="language"),
            Option("main.settings", goto="settings"),
            Option("main.callback", goto="callback"),
            Option("main.exit", goto="exit"),
        ),
    ),
    Screen(
        "lesson",
        body=lesson_text,
        prompt="lesson.ask",
        options=(
            Option("lesson.tried", do=partial(lesson_feedback, FeedbackAnswer.TRIED)),
            Option("lesson.not_yet", do=partial(lesson_feedback, FeedbackAnswer.NOT_YET)),
            Option("lesson.previous", goto="lesson.previous"),
        ),
    ),
    Screen(
        "lesson.previous",
        title="previous.title",
        items=previous_items,
        pick=pick_previous,
        empty="previous.none",
    ),
    Screen("lesson.previous.one", body=previous_text),
    Screen("lesson.thanks", title="lesson.thanks"),
    Screen(
        "meeting",
        title="meeting.title",
        body=meeting_text,
        prompt="meeting.ask",
        options=(
            Option("meeting.coming", do=partial(meeting_answer, RsvpAnswer.COMING)),
            Option("meeting.not_coming", do=partial(meeting_answer, RsvpAnswer.NOT_COMING)),
        ),
    ),
    Screen("meeting.none", title="meeting.none"),
    Screen("meeting.thanks", body=lambda ctx, arg: ctx.t(f"meeting.thanks.{arg}")),
    Screen(
        "children",
        title="children.title",
        body=children_text,
        options=(Option("children.add", do=add_child),),
    ),
    Screen("children.year", title="child.year", read=read_child_year),
    Screen("children.month", title="child.month", read=read_child_month, zero_is_input=True),
    Screen(
        "children.added",
        body=child_added_text,
        options=(Option("children.another", do=add_child),),
    ),
    Screen(
        "settings",
        title="settings.title",
        body=settings_text,
        options=(
            Option("settings.pause", do=partial(set_lessons, PersonStatus.PAUSED)),
            Option("settings.resume", do=partial(set_lessons, PersonStatus.ACTIVE)),
            Option("settings.time", goto="settings.time"),
        ),
    ),
    Screen(
        "settings.time",
        title="settings.time.title",
        options=tuple(
            Option(f"time.choice.{time}", do=partial(set_time, time)) for time in TimeOfDay
        ),
    ),
    Screen("settings.saved", body=saved_text),
    Screen(
        "callback",
        title="callback.title",
        options=(Option("callback.yes", do=ask_callback),),
    ),
    Screen("callback.sent", title="callback.sent", end=True),
    Screen("callback.already", title="callback.already", end=True),
)
