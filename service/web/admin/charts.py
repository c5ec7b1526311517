"""Charts drawn on the server as small inline SVG: no JavaScript, a few kilobytes each."""

from dataclasses import dataclass

from markupsafe import Markup, escape

from service.web.admin import filters

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 30, 30
INK, MUTED, GRID = "#1f2a2e", "#55626b", "#e4dfd6"
LIGHT, DARK, ACCENT = "#8cc5bf", "#0f6e6a", "#b5542c"
GOOD, FAIR, POOR = "#0f6e6a", "#b07a12", "#b23a2a"


@dataclass(frozen=True)
class Axis:
    """A value axis from 0 to `top`, with `steps` grid lines."""

    top: float
    steps: int = 4

    @classmethod
    def fitting(cls, largest, steps=4):
        """An axis whose top is a round number at least `largest`."""
        raw = max(largest, 1) / steps
        magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
        step = next(
            m * magnitude for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * magnitude >= raw
        )
        return cls(top=step * steps, steps=steps)

    def ticks(self):
        return [self.top * i / self.steps for i in range(self.steps + 1)]


def number(value):
    """1.234 or 2,5 (Indonesian) / 1,234 or 2.5 (English): short for axis labels."""
    return filters.number(int(value) if float(value).is_integer() else round(value, 1))


def percent(rate):
    """50% as the officer's language writes it."""
    return filters.percent(rate)


def _text(x, y, label, anchor="middle", size=11, fill=MUTED, weight=None):
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{bold}>{escape(label)}</text>'
    )


def _frame(chart_id, title, description, body, height=HEIGHT):
    """The SVG element, scalable, announced to screen readers by its title and description."""
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" font-family="system-ui, sans-serif" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>{"".join(body)}</svg>'
    )


def _grid(axis, plot_height, as_percent=False):
    """Horizontal grid lines with their values on the left."""
    parts = []
    for tick in axis.ticks():
        y = TOP + plot_height - plot_height * tick / axis.top
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        label = percent(tick) if as_percent else number(tick)
        parts.append(_text(LEFT - 6, y + 4, label, anchor="end"))
    return parts


def _legend(entries):
    """Coloured keys along the top edge."""
    parts, x = [], LEFT
    for label, colour in entries:
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" rx="2" fill="{colour}"/>')
        parts.append(_text(x + 17, 18, label, anchor="start", fill=INK))
        x += 26 + 7 * len(label)
    return parts


def _x_labels(labels, slot, every):
    """Category labels under the plot, thinned to every `every`-th so they never overlap."""
    base = HEIGHT - BOTTOM + 16
    return [
        _text(LEFT + slot * (i + 0.5), base, label)
        for i, label in enumerate(labels)
        if (len(labels) - 1 - i) % every == 0
    ]


def paired_bars(chart_id, title, labels, pairs, names=("Sent", "Delivered")):
    """Two bars per category (e.g. SMS sent and delivered each week)."""
    axis = Axis.fitting(max((max(pair) for pair in pairs), default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    bar = slot * 0.34
    body = _grid(axis, plot_height) + _legend(zip(names, (LIGHT, DARK), strict=True))
    for i, pair in enumerate(pairs):
        for j, (value, colour) in enumerate(zip(pair, (LIGHT, DARK), strict=True)):
            height = plot_height * value / axis.top
            x = LEFT + slot * i + slot * 0.14 + j * bar
            y = TOP + plot_height - height
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{colour}" rx="1.5"><title>{escape(labels[i])}: '
                f"{escape(names[j])} {number(value)}</title></rect>"
            )
    body += _x_labels(labels, slot, every=2 if len(labels) > 8 else 1)
    described = "; ".join(
        f"{label}: {names[0].lower()} {a}, {names[1].lower()} {b}"
        for label, (a, b) in zip(labels, pairs, strict=True)
    )
    return _frame(chart_id, title, described, body)


def area_line(chart_id, title, labels, values, name="Enrolled"):
    """A running total as a line over a soft area, its latest value written at the end."""
    axis = Axis.fitting(max(values, default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    points = [
        (LEFT + slot * (i + 0.5), TOP + plot_height - plot_height * value / axis.top)
        for i, value in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    floor = TOP + plot_height
    body = _grid(axis, plot_height) + _legend([(name, ACCENT)])
    if points:
        area = f"{points[0][0]:.1f},{floor} {path} {points[-1][0]:.1f},{floor}"
        body.append(f'<polygon points="{area}" fill="{ACCENT}" fill-opacity="0.12"/>')
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2.5" '
            f'stroke-linejoin="round"/>'
        )
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{ACCENT}"/>' for x, y in points]
        last_x, last_y = points[-1]
        body.append(
            _text(last_x, max(last_y - 9, TOP - 2), number(values[-1]), fill=INK, weight="600")
        )
    body += _x_labels(labels, slot, every=2 if len(labels) > 8 else 1)
    described = "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
    return _frame(chart_id, title, described, body)


def rate_colour(rate):
    """Teal when most SMS arrive, amber when many do not, red when most do not."""
    if rate >= 0.9:
        return GOOD
    return FAIR if rate >= 0.7 else POOR


NO_WORDS = {"none": "no villages yet", "no_sms": "no SMS sent", "no_sms_short": "no SMS"}


def rate_bars(chart_id, title, rows, words=None):
    """One horizontal bar per row of (label, rate or None, note), 0-100%; `words` translated."""
    words = {**NO_WORDS, **(words or {})}
    row_height, label_width, size = 34, 150, 13
    height = TOP + row_height * max(len(rows), 1) + 6
    x0 = 12 + label_width
    span = WIDTH - x0 - 56
    body = [_text(x0 + span * tick, TOP - 10, percent(tick), size=size) for tick in (0, 0.5, 1)]
    body += [
        f'<line x1="{x0 + span * t:.1f}" x2="{x0 + span * t:.1f}" y1="{TOP - 4}" '
        f'y2="{height - 4}" stroke="{GRID}"/>'
        for t in (0, 0.5, 1)
    ]
    for i, (label, rate, note) in enumerate(rows):
        body += _rate_row(TOP + row_height * i, x0, span, (label, rate, note), size, words)
    if not rows:
        body.append(_text(WIDTH / 2, TOP + 18, words["none"], size=size))
    described = "; ".join(
        f"{label}: {words['no_sms_short'] if rate is None else percent(rate)}"
        for label, rate, _ in rows
    )
    return _frame(chart_id, title, described, body, height=height)


def _rate_row(y, x0, span, row, size, words):
    """A village's name, its bar and its percentage."""
    label, rate, note = row
    parts = [_text(x0 - 10, y + 21, _short(label), anchor="end", fill=INK, size=size)]
    if rate is None:
        return parts + [_text(x0 + 6, y + 21, words["no_sms"], anchor="start", size=size)]
    width = max(span * rate, 1.5)
    parts.append(
        f'<rect x="{x0}" y="{y + 6}" width="{width:.1f}" height="20" rx="3" '
        f'fill="{rate_colour(rate)}"><title>{escape(label)}: {percent(rate)} ({escape(note)})'
        f"</title></rect>"
    )
    parts.append(_text(x0 + width + 6, y + 21, percent(rate), anchor="start", fill=INK, size=size))
    return parts


def _short(label, limit=22):
    return label if len(label) <= limit else label[: limit - 1] + "…"
