"""Content: every lesson by track and language, with the SMS segments it takes."""

import re

from flask import abort, render_template, request

from messages.coverage import coverage
from messages.lessons import ContentError
from service.web.admin.blueprint import bp
from service.web.admin.csvout import csv_response
from service.web.admin.queries import content
from service.web.admin.queries.lesson_page import lesson_page
from service.web.locale import N_

LESSON_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


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
        packs=content.pack_rows() if problem is None else [],
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


def _page_or_404(lesson_id):
    """The lesson's page data; 404 for an id no lesson has (or files that cannot be read)."""
    if not LESSON_ID.fullmatch(lesson_id):
        abort(404)
    try:
        page = lesson_page(lesson_id)
    except ContentError:
        abort(404)
    return page or abort(404)


@bp.get("/content/lessons/<lesson_id>")
def content_lesson(lesson_id):
    """One lesson: every version side by side in every language, sources, regional texts."""
    return render_template("admin/lesson.html", active="content", page=_page_or_404(lesson_id))


@bp.get("/content/lessons/<lesson_id>/guide")
def content_guide(lesson_id):
    """A facilitator session's guide, laid out to print on one A4 sheet."""
    page = _page_or_404(lesson_id)
    language = request.args.get("language") or (page.guides[0] if page.guides else "")
    if language not in page.guides:
        abort(404)
    lesson = page.lessons[language]
    return render_template("admin/guide.html", page=page, lesson=lesson, language=language)
