"""One inbound SMS in, at most one reply out: sender, safeguarding, keyword, handler, reply."""

import importlib

from messages import grammar
from messages.handlers import forward, safeguarding
from messages.handlers.context import (
    Command,
    CommandError,
    Handler,
    Reply,
    choose_language,
    identify,
)
from messages.handlers.help import audiences, word_for
from messages.keywords import KEYWORDS, Audience
from service.outbox import queue_sms
from service.states import MessageKind

MAX_QUOTED = 40  # characters of typed text quoted back in a reply
TYPED_PLACEHOLDERS = frozenset({"text", "code", "phone", "date", "number", "word"})


def reply_key(inbound_id):
    """The idempotency key of a message's one reply: a retried job cannot send a second."""
    return f"reply:{inbound_id}:0"


def handle_inbound(inbound, now):
    """Carry out one stored message; returns the reply outbox row, or None when none is due."""
    sender = identify(inbound.from_phone)
    parsed = grammar.parse(inbound.text)
    keyword, keyword_language = KEYWORDS.lookup(parsed.keyword, alone=not parsed.tokens)
    sender.language = choose_language(sender, keyword_language)
    ctx = Command(inbound.id, sender, parsed, keyword, now)
    hotline = safeguarding.screen(ctx, inbound.text or "")
    if forward.applies(ctx):  # a caregiver's words, not a facilitator's command
        reply = None if hotline else Reply(forward.forward(ctx, inbound.text or ""))
    else:
        reply = run_command(ctx) if keyword is not None or hotline is None else None
    return deliver(ctx, hotline, reply)


def run_command(ctx):
    """The handler's reply, an error reply naming the problem, or a polite refusal."""
    if ctx.keyword is None:
        return Reply(unknown_keyword(ctx))
    if ctx.keyword.audience == Audience.FACILITATOR and ctx.facilitator is None:
        return Reply(ctx.text("error.not_facilitator"))
    try:
        result = resolve(ctx.keyword.handler)(ctx)
    except CommandError as error:
        return Reply(error_text(ctx, error))
    if result is None or isinstance(result, Reply):
        return result
    return Reply(result)


def resolve(dotted: str) -> Handler:
    """The handler function for "module:function"."""
    module_path, function = dotted.split(":")
    handler: Handler = getattr(importlib.import_module(module_path), function)
    return handler


def error_text(ctx, error):
    """The problem in words followed by a correct example of the command."""
    values = {k: _quoted(k, v) for k, v in error.values.items()}
    problem = ctx.text(error.key, **values)
    example = ctx.text(f"help.example.{ctx.keyword.key}")
    return ctx.text("error.with_example", problem=problem, example=example)


def _quoted(name, value):
    """Typed text quoted back is cut short: a 5,000-digit "code" must not make a long SMS."""
    return value[:MAX_QUOTED] if name in TYPED_PLACEHOLDERS and isinstance(value, str) else value


def unknown_keyword(ctx):
    """Name the word typed and the keyword nearest to it, if one is near."""
    if ctx.parsed.keyword is None:
        return ctx.text("error.empty")
    typed = ctx.parsed.keyword[:MAX_QUOTED]
    suggestion = KEYWORDS.suggest(ctx.parsed.keyword, audiences(ctx))
    if suggestion is None:
        key = "error.unknown.facilitator" if ctx.facilitator else "error.unknown.public"
        return ctx.text(key, word=typed)
    keyword, _language = KEYWORDS.lookup(suggestion)
    return ctx.text(
        "error.unknown.suggest",
        word=typed,
        suggestion=word_for(keyword, ctx.language),
        example=ctx.text(f"help.example.{keyword.key}"),
    )


def deliver(ctx, hotline, reply):
    """Queue the one reply (hotline first when the message named harm)."""
    parts = [text for text in (hotline, reply.text if reply else None) if text]
    if not parts or ctx.sender.phone is None:
        return None
    respect_opt_out = reply.respect_opt_out if reply else True
    if hotline:
        respect_opt_out = False  # an answer to someone reporting harm always goes out
    village = ctx.village
    return queue_sms(
        ctx.sender.phone,
        " ".join(parts),
        MessageKind.REPLY,
        reply_key(ctx.inbound_id),
        respect_opt_out=respect_opt_out,
        language=ctx.language,
        village_id=village.id if village is not None else None,
    )
