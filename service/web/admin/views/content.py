"""Content: every lesson by track and language, with the SMS segments it takes."""

from flask import render_template, request

from messages.coverage import coverage
from messages.lessons import ContentError
from service.web.admin.blueprint import bp
from service.web.admin.csvout import csv_response
from service.web.admin.queries import content
from service.web.locale import N_


def _narrowing():
    return request.args.get("track", ""), request.args.get("language", "")


@bp.get("/content")
def content_list():
    """A summary of every track, then one track's lessons in full (pages stay light)."""
    track, language = _narrowing()
    try:
        every = content.lesson_rows()
        tracks, languages = content.tracks_and_languages()
        problem = None
    except ContentError as error:
        every, tracks, languages, problem = [], [], [], str(error)
    track = track if track in tracks else (tracks[0] if tracks else "")
    rows = [r for r in every if r.track == track and (not language or r.language == language)]
    return render_template(
        "admin/content.html",
        active="content",
        summary=content.summaries(every),
        rows=rows,
        tracks=tracks,
        languages=languages,
        track=track,
        language=language,
        problem=problem,
        coverage=coverage(),
    )


@bp.get("/content.csv")
def content_csv():
    """The catalog as CSV, one row per lesson and language."""
    header = [
        N_("track"),
        N_("language"),
        N_("number"),
        N_("id"),
        N_("title"),
        N_("topic"),
        N_("segments"),
        N_("encoding"),
        N_("most_segments_with_variants"),
        N_("text"),
    ]
    rows = (
        [
            r.track,
            r.language,
            r.number,
            r.id,
            r.title,
            r.topic,
            r.segments,
            r.encoding,
            r.most_segments,
            r.text,
        ]
        for r in content.lesson_rows(*_narrowing())
    )  # the catalog is files, not the database: safe to read before streaming
    return csv_response("content.csv", header, rows)
