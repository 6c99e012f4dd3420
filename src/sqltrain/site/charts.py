"""Small inline SVG charts, drawn in Python: no JavaScript, no CDN, readable when printed.

Each function returns an ``<svg>`` string with a ``<title>`` (for screen readers and hover) and
``data-`` attributes on every mark holding the exact value it draws, so a test (or a curious
reviewer with dev tools) can check the picture against the numbers.

>>> svg = bar_chart([("2025-03-01", 2070), ("2025-06-01", 2210)], name="rows", title="Rows")
>>> svg.count("<rect class=\\"bar\\"")
2
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from html import escape

WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 56, 16, 16, 40

Formatter = Callable[[float], str]


def percent(value: float) -> str:
    return f"{value * 100:.2f}%"


def integer(value: float) -> str:
    return f"{int(round(value)):,}"


def line_chart(points: Sequence[tuple[str, float | None]], *, name: str, title: str,
               fmt: Formatter = percent, highlight: str | None = None) -> str:
    """A line over categories (as-of dates); missing values leave a gap in the line.

    ``highlight``: the category drawn as "current" (the snapshot the page is about).
    """
    top = _nice_top(max((v for _, v in points if v is not None), default=0.0))
    xs = _x_positions(len(points))
    parts, path, pen_down = [], [], False
    for (label, value), x in zip(points, xs):
        if value is None:
            pen_down = False
            continue
        y = _y(value, top)
        path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
        pen_down = True
        parts.append(
            f'<circle class="point{_current(label, highlight)}" cx="{x:.1f}" cy="{y:.1f}" '
            f'r="{6 if label == highlight else 4}" data-label="{escape(label)}" data-value="{value}">'
            f"<title>{escape(label)}: {escape(fmt(value))}</title></circle>"
            f'<text class="value" x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">{escape(fmt(value))}</text>'
        )
    line = f'<path class="line" d="{" ".join(path)}"/>' if path else ""
    return _frame(name, title, top, fmt, [label for label, _ in points], xs, line + "".join(parts))


def bar_chart(points: Sequence[tuple[str, float]], *, name: str, title: str, fmt: Formatter = integer,
              highlight: str | None = None) -> str:
    """Vertical bars over categories (as-of dates); ``highlight`` as in :func:`line_chart`."""
    top = _nice_top(max((v for _, v in points), default=0.0))
    xs = _x_positions(len(points))
    width = min(48.0, (WIDTH - PAD_LEFT - PAD_RIGHT) / max(len(points), 1) * 0.6)
    bars = []
    for (label, value), x in zip(points, xs):
        y = _y(value, top)
        bars.append(
            f'<rect class="bar{_current(label, highlight)}" x="{x - width / 2:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{HEIGHT - PAD_BOTTOM - y:.1f}" data-label="{escape(label)}" data-value="{value}">'
            f"<title>{escape(label)}: {escape(fmt(value))}</title></rect>"
            f'<text class="value" x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle">{escape(fmt(value))}</text>'
        )
    return _frame(name, title, top, fmt, [label for label, _ in points], xs, "".join(bars))


def hbar_chart(items: Sequence[tuple[str, float]], *, name: str, title: str, limit: float | None = None,
               limits: dict[str, float] | None = None, fmt: Formatter = percent,
               flagged: Collection[str] | None = None, rule_title: str = "declared limit") -> str:
    """Horizontal bars from 0 to 1, one per item (null fraction per feature, share per slice).

    ``limit`` draws a rule (the set-wide limit, or a reference such as the whole set's label rate,
    named by ``rule_title``); a bar above its own limit (``limits[label]``, else ``limit``) is drawn
    in the alarm colour. With ``flagged`` (slices beyond a gate limit) exactly those items are, in
    the alarm colour with the class ``flagged``, and ``limit`` is only a reference rule.
    """
    row, label_w, width = 18, 230, WIDTH
    plot_w = width - label_w - 70
    height = PAD_TOP + row * len(items) + 24
    marks = []
    for i, (label, value) in enumerate(items):
        y = PAD_TOP + i * row
        own = (limits or {}).get(label, limit)
        over = label in flagged if flagged is not None else own is not None and value > own
        state = (" over flagged" if flagged is not None else " over") if over else ""
        marks.append(
            f'<text class="axis" x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="hbar{state}" x="{label_w}" y="{y + 3}" width="{max(value, 0) * plot_w:.1f}" '
            f'height="{row - 6}" data-label="{escape(label)}" data-value="{value}">'
            f"<title>{escape(label)}: {escape(fmt(value))}</title></rect>"
            f'<text class="value" x="{label_w + max(value, 0) * plot_w + 4:.1f}" y="{y + 13}">{escape(fmt(value))}</text>'
        )
    axis_y = PAD_TOP + row * len(items)
    marks.append(f'<line class="axis-line" x1="{label_w}" y1="{axis_y}" x2="{label_w + plot_w}" y2="{axis_y}"/>')
    for tick in (0.0, 0.5, 1.0):
        x = label_w + tick * plot_w
        marks.append(f'<text class="axis" x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle">{escape(fmt(tick))}</text>')
    if limit is not None:
        x = label_w + limit * plot_w
        marks.append(f'<line class="limit" x1="{x:.1f}" y1="{PAD_TOP}" x2="{x:.1f}" y2="{axis_y}">'
                     f"<title>{escape(rule_title)}: {escape(fmt(limit))}</title></line>")
    return _svg(name, title, width, height, "".join(marks))


def _current(label: str, highlight: str | None) -> str:
    return " current" if highlight is not None and label == highlight else ""


# -- shared geometry ---------------------------------------------------------------------------

def _frame(name: str, title: str, top: float, fmt: Formatter, labels: list[str], xs: list[float], body: str) -> str:
    axis = [f'<line class="axis-line" x1="{PAD_LEFT}" y1="{HEIGHT - PAD_BOTTOM}" '
            f'x2="{WIDTH - PAD_RIGHT}" y2="{HEIGHT - PAD_BOTTOM}"/>']
    for fraction in (0.0, 0.5, 1.0):
        y = _y(top * fraction, top)
        axis.append(f'<line class="grid" x1="{PAD_LEFT}" y1="{y:.1f}" x2="{WIDTH - PAD_RIGHT}" y2="{y:.1f}"/>'
                    f'<text class="axis" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                    f'{escape(fmt(top * fraction))}</text>')
    for label, x in zip(labels, xs):
        axis.append(f'<text class="axis" x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>')
    return _svg(name, title, WIDTH, HEIGHT, "".join(axis) + body)


def _svg(name: str, title: str, width: int, height: int, body: str) -> str:
    return (f'<svg class="chart" data-chart="{escape(name)}" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title>{body}</svg>")


def _x_positions(n: int) -> list[float]:
    span = WIDTH - PAD_LEFT - PAD_RIGHT
    return [PAD_LEFT + span * (i + 0.5) / n for i in range(n)]


def _y(value: float, top: float) -> float:
    span = HEIGHT - PAD_TOP - PAD_BOTTOM
    return HEIGHT - PAD_BOTTOM - (value / top if top else 0.0) * span


def _nice_top(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k not below ``value`` (so the axis reads round numbers)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 10 ** -_leading_zeros(value)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _leading_zeros(value: float) -> int:
    count = 0
    while value < 1:
        value *= 10
        count += 1
    return count


def timeline_chart(rows: Sequence[tuple[str, Sequence[tuple[str, datetime, datetime]]]], *, name: str,
                   title: str, since: datetime | None = None) -> str:
    """One row per fold over a shared time axis, each a sequence of ``(kind, start, end)`` segments
    (train, embargo, test cutoff periods).

    ``since``: where the axis starts when the segments reach further back (a long expanding train
    window would squeeze the rest to slivers); a segment cut there is drawn with class ``clipped``
    and keeps its true start in ``data-from``.

    >>> from datetime import datetime as d
    >>> svg = timeline_chart([("2025-04-01", [("train", d(2025, 1, 1), d(2025, 3, 2)),
    ...                                         ("embargo", d(2025, 3, 2), d(2025, 4, 1)),
    ...                                         ("test", d(2025, 4, 1), d(2025, 5, 1))])], name="t", title="T")
    >>> svg.count('class="segment ')
    3
    """
    row, label_w = 26, 96
    plot_w = WIDTH - label_w - PAD_RIGHT
    moments = [m for _, segments in rows for _, start, end in segments for m in (start, end)]
    first, last = min(moments, default=datetime(1970, 1, 1)), max(moments, default=datetime(1970, 1, 2))
    if since is not None and first < since < last:
        first = since
    span = (last - first).total_seconds() or 1.0

    def x(moment: datetime) -> float:
        return label_w + (moment - first).total_seconds() / span * plot_w

    height = PAD_TOP + row * len(rows) + 30
    axis_y = PAD_TOP + row * len(rows)
    marks = []
    for i, (label, segments) in enumerate(rows):
        y = PAD_TOP + i * row
        marks.append(f'<text class="axis" x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(label)}</text>')
        for kind, start, end in segments:
            what = f"fold {label}: {kind} cutoffs {_day(start)} → {_day(end)}"
            clipped = " clipped" if start < first else ""
            left, right = x(max(start, first)), x(max(end, first))
            marks.append(
                f'<rect class="segment {escape(kind)}{clipped}" x="{left:.1f}" y="{y + 4}" '
                f'width="{max(right - left, 1.0):.1f}" height="{row - 8}" data-fold="{escape(label)}" '
                f'data-kind="{escape(kind)}" data-from="{start.isoformat(sep=" ")}" data-to="{end.isoformat(sep=" ")}">'
                f"<title>{escape(what)}</title></rect>"
            )
    marks.append(f'<line class="axis-line" x1="{label_w}" y1="{axis_y}" x2="{label_w + plot_w}" y2="{axis_y}"/>')
    ticks = _ticks(first, last)
    for i, moment in enumerate(ticks):
        anchor = "start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"
        marks.append(f'<line class="grid" x1="{x(moment):.1f}" y1="{PAD_TOP}" x2="{x(moment):.1f}" y2="{axis_y}"/>'
                     f'<text class="axis" x="{x(moment):.1f}" y="{axis_y + 14}" text-anchor="{anchor}">{_day(moment)}</text>')
    return _svg(name, title, WIDTH, height, "".join(marks))


def _ticks(first: datetime, last: datetime, most: int = 6) -> list[datetime]:
    """``most`` evenly spaced moments from ``first`` to ``last`` (both included)."""
    if last <= first:
        return [first]
    return [first + (last - first) * i / (most - 1) for i in range(most)]


def _day(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}"
