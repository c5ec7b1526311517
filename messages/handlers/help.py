"""BANTUAN [keyword]: the commands this sender may use, or one command's format."""

from flask import current_app

from messages.keywords import KEYWORDS, Audience


def show(ctx):
    """One keyword's format and example, else the list for facilitators or for everyone."""
    asked = ctx.parsed.tokens[0].text if ctx.parsed.tokens else None
    if asked is None:
        return command_list(ctx)
    keyword, _language = KEYWORDS.lookup(asked)
    if keyword is None:
        suggestion = KEYWORDS.suggest(asked, audiences(ctx))
        if suggestion is None:
            return command_list(ctx)
        keyword, _language = KEYWORDS.lookup(suggestion)
    return keyword_help(ctx, keyword)


def audiences(ctx):
    """Who the sender counts as: facilitators may use every keyword."""
    if ctx.facilitator is not None:
        return (Audience.FACILITATOR, Audience.ANYONE)
    return (Audience.ANYONE,)


def keyword_help(ctx, keyword):
    return ctx.text(
        "help.keyword",
        format=ctx.text(f"help.format.{keyword.key}"),
        example=ctx.text(f"help.example.{keyword.key}"),
    )


def word_for(keyword, language):
    """The keyword as a speaker of this language would type it (its glossary's word first)."""
    return KEYWORDS.word_in(keyword, language)


def command_list(ctx):
    if ctx.facilitator is None:
        return ctx.text("help.public", ussd=ussd_code())
    words = [word_for(k, ctx.language) for k in KEYWORDS.for_audience((Audience.FACILITATOR,))]
    return ctx.text("help.facilitator", commands=", ".join(words))


def ussd_code():
    return current_app.config["USSD_SERVICE_CODE"]
