"""/simulator: a basic phone in the browser that talks to the real USSD and SMS endpoints."""

import time
import uuid
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from rq import Worker
from sqlalchemy import select

from menus.engine import end_session, respond
from service import audit, config
from service.demo import DEMO_FACILITATOR_PHONES
from service.models import (
    Caregiver,
    Facilitator,
    Household,
    InboundMessage,
    MigrantParent,
    OutboxMessage,
    Village,
    db,
    utcnow,
)
from service.owners import owner
from service.phones import try_normalise
from service.redis_client import get_redis
from service.states import InboundState, MessageStatus
from service.web import auth, locale
from service.web.admin import filters
from service.web.locale import N_
from service.web.locale import gettext as _
from workers.gateway import africastalking as at

bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates")


@bp.before_request
def refuse_when_off():
    """Not served at all in production unless SIMULATOR=on: it acts for real on real numbers."""
    if not auth.simulator_enabled():
        abort(404)


auth.guard_blueprint(bp)

STATE = "simulator"  # the Flask-session key holding the phone's state
KEYS = tuple("123456789*0#")
SCREENS = ("home", "ussd", "inbox", "compose")
NETWORK_CODE = "51010"  # Telkomsel, as Africa's Talking reports it
WAIT_FOR_WORKER = 4.0  # seconds an SMS may take through the worker before we show the inbox
INBOX_SIZE = 30


def init_app(app):
    """Sessions and roles (shared with the dashboard) and the dashboard's template filters."""
    auth.init_app(app)
    locale.init_app(app)
    filters.init_app(app)


# ---------------------------------------------------------------- who did it


def operator():
    """The admin at the simulator, as the audit log names them."""
    return f"admin:{current_user.username} via simulator"


def actor(phone):
    """How the audit log names an action taken here: the admin, and whose phone they used."""
    return audit.using_phone(operator(), phone or "no number")


def record(phone, action, entity="simulator", entity_id=None, **detail):
    """Audit one action taken through the simulator, committed at once; returns the row."""
    row = audit.record(actor(phone), action, entity, entity_id, as_phone=phone, **detail)
    db.session.commit()
    return row


def needs_confirmation(person):
    """A real facilitator's number: acting as them must be a deliberate choice.

    The demo facilitators `asuh seed-demo` makes are exempt in development only.
    """
    if person is None or person.role != "facilitator":
        return False
    demo = person.phone in DEMO_FACILITATOR_PHONES and not config.is_production(current_app.config)
    return not demo


# ---------------------------------------------------------------- the phone's state


def phone_state():
    """This browser's phone: number, what is typed, the USSD session and a one-off notice."""
    return session.get(STATE) or {"phone": None, "entry": "", "ussd": None, "notice": None}


def save(state, **changes):
    """Store the phone's state back in the signed session cookie."""
    session[STATE] = {**state, **changes}


def take_notice():
    """The notice for this page view only."""
    state = phone_state()
    notice = state.get("notice")
    if notice:
        save(state, notice=None)
    return notice


# ---------------------------------------------------------------- the gateway, simulated


def gateway_post(path, fields):
    """POST form fields to one of our own gateway callbacks, in-process, as the gateway would."""
    token = current_app.config["WEBHOOK_TOKEN"]
    client = current_app.test_client()
    response = client.post(path, query_string={"token": token}, data=fields)
    return response.status_code, response.get_data(as_text=True)


@dataclass(frozen=True)
class UssdReply:
    """The handler's answer: the text to show and whether the session goes on."""

    text: str
    more: bool


def parse_ussd(status, body):
    """Read `CON ...` / `END ...`; anything else ends the session with an explanation."""
    if status == 404:
        return UssdReply("USSD service is not available yet.", False)
    if status != 200:
        return UssdReply(_("Network error (%(status)s). Try again.", status=status), False)
    if body.startswith("CON "):
        return UssdReply(body[4:], True)
    if body.startswith("END "):
        return UssdReply(body[4:], False)
    return UssdReply(body or _("Connection problem or invalid MMI code."), False)


def ask_ussd(phone, session_id, text):
    """One USSD round trip through the handler the `/ussd` route calls."""
    with audit.operated_by(operator()):  # what the session changes is the admin's doing
        reply = respond(session_id, phone, text, screen_chars=at.USSD_SCREEN_CHARS)
    return parse_ussd(200, at.ussd_answer(reply.text, reply.ended))


def tell_session_ended(session_id):
    """What the gateway's end-of-session notice does: free the session's state now."""
    return end_session(session_id)


def send_sms_as(phone, text):
    """Post an SMS from `phone` to `/sms/inbound`, as the gateway does; returns its provider id.

    Audited first: the worker that carries the SMS out finds the admin by that row.
    """
    provider_id = f"{audit.SIMULATED_ID_PREFIX}{uuid.uuid4().hex[:20]}"
    entry = record(phone, audit.SIMULATED_SMS, "inbound", provider_id=provider_id, text=text)
    fields = {
        "from": phone,
        "to": current_app.config.get("AT_SENDER_ID") or "ASUH",
        "text": text,
        "date": utcnow().strftime("%Y-%m-%d %H:%M:%S"),
        "id": provider_id,
        "networkCode": NETWORK_CODE,
    }
    status, _ = gateway_post("/sms/inbound", fields)
    entry.entity_id = db.session.scalar(
        select(InboundMessage.id).where(InboundMessage.provider_id == provider_id)
    )
    db.session.commit()
    return provider_id, status


# ---------------------------------------------------------------- USSD keys


def dialled_text(entry):
    """The `text` a dialled string starts a session with, or None if it is not our code.

    `*384*123#` starts with "", and a direct dial like `*384*123*1*2#` with "1*2".
    """
    code = current_app.config["USSD_SERVICE_CODE"]
    entry = entry.strip()
    if entry == code:
        return ""
    stem = code.removesuffix("#") + "*"
    if entry.startswith(stem) and entry.endswith("#") and len(entry) > len(stem) + 1:
        return entry[len(stem) : -1]
    return None


def dial(state):
    """Start a USSD session with what was typed, if it is the service code."""
    text = dialled_text(state["entry"])
    if text is None:
        code = current_app.config["USSD_SERVICE_CODE"]
        return save(state, notice=_("Unknown code. Dial %(code)s to reach Asuh.", code=code))
    session_id = f"sim-{uuid.uuid4().hex[:16]}"
    reply = ask_ussd(state["phone"], session_id, text)
    record(state["phone"], "simulator.ussd", session=session_id, text=text)
    ussd = {"id": session_id, "text": text, "screen": reply.text, "open": reply.more}
    save(state, entry="", ussd=ussd)


def answer(state):
    """Send what was typed as the next step of the open session."""
    ussd, entry = dict(state["ussd"]), state["entry"].strip()
    if not entry:
        return save(state, notice=_("Type a choice with the keys, then press the green key."))
    ussd["text"] = entry if ussd["text"] == "" else f"{ussd['text']}*{entry}"
    reply = ask_ussd(state["phone"], ussd["id"], ussd["text"])
    record(state["phone"], "simulator.ussd", session=ussd["id"], text=ussd["text"])
    ussd.update(screen=reply.text, open=reply.more)
    save(state, entry="", ussd=ussd)


def hang_up(state):
    """The red key: cancel an open session (and tell the handler), or clear the screen."""
    ussd = state.get("ussd")
    if ussd and ussd.get("open"):
        tell_session_ended(ussd["id"])
    save(state, entry="", ussd=None)


def press(state, key):
    """What one key does to the phone."""
    if key in KEYS:
        return save(state, entry=(state["entry"] + key)[:182])
    if key == "del":
        return save(state, entry=state["entry"][:-1])
    if key == "end":
        return hang_up(state)
    if key == "call":
        ussd = state.get("ussd")
        return answer(state) if ussd and ussd.get("open") else dial(state)
    return None


# ---------------------------------------------------------------- SMS


def worker_running():
    """True when some RQ worker is registered, so an inbound SMS will be processed soon."""
    try:
        return Worker.count(connection=get_redis()) > 0
    except Exception:  # noqa: BLE001 - Redis trouble: just do not wait
        return False


def wait_for_processing(provider_id, phone, seconds=WAIT_FOR_WORKER):
    """Give a running worker a moment to parse the SMS and send the replies; True when done."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()  # end the snapshot so the worker's commits are visible
        if _inbound_state(provider_id) != InboundState.RECEIVED and not _pending_to(phone):
            return True
        time.sleep(0.2)
    return False


def _inbound_state(provider_id):
    return db.session.scalar(
        select(InboundMessage.state).where(InboundMessage.provider_id == provider_id)
    )


def _pending_to(phone):
    query = select(OutboxMessage.id).where(
        OutboxMessage.to_phone == phone, OutboxMessage.status == MessageStatus.PENDING
    )
    return db.session.scalar(query.limit(1)) is not None


def sms_notice(status, processed, worker):
    """Tell the trainer what happened to the SMS they sent."""
    if status == 404:
        return _("The SMS service is not available yet.")
    if status != 200:
        return _("The SMS was refused (%(status)s).", status=status)
    if processed:
        return _("SMS sent and answered. Replies are in the inbox.")
    if worker:
        return _("SMS sent; the worker is still busy. Reload the inbox in a moment.")
    return _("SMS sent. No worker is running, so replies come once `asuh worker` runs.")


def inbox(phone, limit=INBOX_SIZE):
    """SMS sent to this number (outbox rows), newest first."""
    query = select(OutboxMessage).where(OutboxMessage.to_phone == phone)
    newest_first = (OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    return db.session.scalars(query.order_by(*newest_first).limit(limit)).all()


def sent_by(phone, limit=5):
    """SMS this number sent to the service, newest first."""
    query = select(InboundMessage).where(InboundMessage.from_phone == phone)
    return db.session.scalars(query.order_by(InboundMessage.id.desc()).limit(limit)).all()


# ---------------------------------------------------------------- who the phone belongs to


@dataclass(frozen=True)
class Person:
    """Someone in the demo data whose phone the simulator can borrow."""

    phone: str
    name: str
    role: str
    village: str


def people_queries():
    """(role, select of phone, name, village) for each kind of person."""
    village_of_home = (Village, Village.id == Household.village_id)
    return (
        (
            "facilitator",
            select(Facilitator.phone, Facilitator.name, Village.name)
            .join(Village, Village.id == Facilitator.village_id)
            .order_by(Facilitator.id),
        ),
        (
            "caregiver",
            select(Caregiver.phone, Caregiver.name, Village.name)
            .join(Household, Household.id == Caregiver.household_id)
            .join(*village_of_home)
            .order_by(Caregiver.id),
        ),
        (
            N_("parent abroad"),
            select(MigrantParent.phone, MigrantParent.name, Village.name)
            .join(Household, Household.id == MigrantParent.household_id)
            .join(*village_of_home)
            .order_by(MigrantParent.id),
        ),
    )


def demo_people(per_group=12):
    """Facilitators, caregivers and parents abroad to pick from (the first few of each)."""
    return {
        role: [
            Person(phone, name or role.capitalize(), role, village)
            for phone, name, village in db.session.execute(query.limit(per_group))
        ]
        for role, query in people_queries()
    }


ROLE_LABELS = {"facilitator": "facilitator", "caregiver": "caregiver", "migrant": "parent abroad"}


def who_is(number):
    """The person behind a number, when the programme knows them."""
    if not number:
        return None
    found = owner(number, *ROLE_LABELS)
    if found is None:
        return None
    role = ROLE_LABELS[found.role]
    return Person(number, found.name or role.capitalize(), role, found.village)


# ---------------------------------------------------------------- routes


def current_screen(state):
    """Which screen to draw: the one asked for, else the USSD session, else the home screen."""
    asked = request.args.get("screen", "")
    if asked in SCREENS and asked != "ussd":
        return asked
    return "ussd" if state.get("ussd") else "home"


@bp.get("/")
def phone():
    """The phone, the number picker and the demo script."""
    state = phone_state()
    number = state.get("phone")
    context = {
        "state": state,
        "screen": current_screen(state),
        "notice": take_notice(),
        "person": who_is(number),
        "service_code": current_app.config["USSD_SERVICE_CODE"],
        "now": utcnow(),
        "can_act": auth.is_admin(),
    }
    if auth.is_admin():
        context.update(
            people=demo_people(),
            messages=inbox(number) if number else [],
            sent=sent_by(number) if number else [],
        )
    return render_template("simulator/phone.html", active="simulator", keys=KEYS, **context)


@bp.post("/number")
@auth.admin_required
def choose_number():
    """Borrow a demo person's phone, or any number typed in (a real facilitator's: confirmed)."""
    typed = request.form.get("phone", "").strip()
    number = try_normalise(typed or request.form.get("pick", ""))
    if number is None:
        save(phone_state(), notice=_("That is not a phone number. Try 0812 3456 7890."))
        return redirect(url_for("simulator.phone"))
    person = who_is(number)
    confirmed = request.form.get("confirm") == "yes"
    if needs_confirmation(person) and not confirmed:
        save(phone_state(), notice=confirmation_notice(person))
        return redirect(url_for("simulator.phone"))
    hang_up(phone_state())
    record(number, "simulator.phone", role=person.role if person else None, confirmed=confirmed)
    save(
        phone_state(),
        phone=number,
        entry="",
        notice=_("This phone is now %(number)s.", number=number),
    )
    return redirect(url_for("simulator.phone"))


def confirmation_notice(person):
    return _(
        "%(phone)s belongs to %(name)s, a real facilitator in %(village)s: "
        "every SMS and menu choice made here would act as them, and replies go to their phone. "
        'To go on, tick "Act as this real facilitator" and press "Use this phone" again.',
        phone=person.phone,
        name=person.name,
        village=person.village,
    )


@bp.post("/press")
@auth.admin_required
def press_key():
    """A key on the phone; the typed text comes along so no key press is lost."""
    state = phone_state()
    if not state.get("phone"):
        save(state, notice=_("Choose whose phone this is first."))
        return redirect(url_for("simulator.phone"))
    state["entry"] = request.form.get("entry", state.get("entry", ""))[:182]
    press(state, request.form.get("key", ""))
    return redirect(url_for("simulator.phone"))


@bp.post("/sms")
@auth.admin_required
def send_sms():
    """Send an SMS as this phone; wait briefly for the worker, then show the inbox."""
    state, text = phone_state(), request.form.get("text", "").strip()
    if not state.get("phone") or not text:
        save(state, notice=_("Choose a number and write a message first."))
        return redirect(url_for("simulator.phone", screen="compose"))
    provider_id, status = send_sms_as(state["phone"], text[:918])
    worker = status == 200 and worker_running()
    done = worker and wait_for_processing(provider_id, state["phone"])
    save(state, notice=sms_notice(status, done, worker))
    return redirect(url_for("simulator.phone", screen="inbox"))
