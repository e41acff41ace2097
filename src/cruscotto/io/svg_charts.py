"""Charts as SVG text, made on the server: the same chart in a page and in a PDF.

Pure Python (no Django, no JavaScript): a caller passes figures the engine
computed and labels already translated; the module only draws. Two charts:

- :func:`achievement_bars`: horizontal bars of achievement (0-100%), one per
  item (a mission, an objective, an indicator), coloured by status, with the
  target line (the green threshold, 100% by default) and the yellow threshold.
- :func:`trend_chart`: lines and points of one or more series across periods
  (achievement by plan year; an indicator's actual against its target, with
  the interim dates as hollow points).

Accessibility (WCAG 2.1 AA): every SVG has ``role="img"`` and is named by its
``<title>`` and ``<desc>``; every figure is also written as text in Italian
format (``92,5%``, ``1.234``); the status is written next to its bar and
drawn with a pattern as well as a colour (colour is never the only carrier);
the colours have at least 3:1 contrast on white (text 4.5:1). A chart is one
image, so it holds no links (a link inside ``role="img"`` is a nested
control, which axe refuses): a caller shows a table of the same figures, with
the links, for those who cannot read a chart or want to go further.

Example::

    svg = achievement_bars(
        [Bar("Missione 011", Decimal("92.5"), "yellow")],
        title="Raggiungimento per missione", desc="Anno 2021")
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from cruscotto.core.numbers import displayable, rounded
from cruscotto.core.targets import format_number

__all__ = ["STATUS_LABELS", "Bar", "Series", "achievement_bars", "format_percent",
           "trend_chart"]

#: status -> the word written beside a bar (Italian; callers may pass translations)
STATUS_LABELS: Mapping[str, str] = {
    "green": "verde", "yellow": "giallo", "red": "rosso", "not_available": "n.d."}

# Fill colours with >= 3:1 contrast on white (WCAG 1.4.11); text is #1b1b1b.
_FILL = {"green": "#00754a", "yellow": "#a35f00", "red": "#c02040",
         "not_available": "#6b7785"}
_INK = "#1b1b1b"
_GRID = "#5c6f82"
_SERIES_COLOURS = ("#0059b3", "#a35f00", "#00754a", "#c02040", "#5c2d91", "#1b1b1b")
_DASHES = ("", "6 4", "2 3", "8 3 2 3", "1 4", "12 4")
_HUNDRED = Decimal(100)
_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: a label, an achievement in percent (None: not available), a status."""

    label: str
    achievement: Decimal | None
    status: str


@dataclass(frozen=True, slots=True)
class Series:
    """One line of a :func:`trend_chart`: a name and one value per x label (None: gap)."""

    name: str
    values: Sequence[Decimal | None]


def format_percent(value: Decimal | None, *, places: int = 2, missing: str = "n.d.",
                   out_of_range: str = "fuori scala") -> str:
    """``Decimal("92.456")`` → ``92,46%``; ``None`` → ``missing``; a figure too large
    to show (``cruscotto.core.numbers.DISPLAY_LIMIT``) → ``out_of_range``."""
    if value is None:
        return missing
    r = rounded(value, places)
    if r is None:
        return out_of_range
    return format_number(r) + "%"


def _round(d: Decimal, places: int) -> Decimal:
    """Rounded for display; a figure beyond the display range stays as it is
    (:func:`format_number` shows it as out of range)."""
    r = rounded(d, places)
    return d if r is None else r


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _open(width: int, height: int, title: str, desc: str, cls: str) -> tuple[str, list[str]]:
    uid = f"chart{next(_ids)}"
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="Titillium Web, Arial, sans-serif" '
        f'font-size="13">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(desc)}</desc>',
    ]
    return uid, head


def _patterns(uid: str) -> str:
    """Status patterns: solid for green, diagonal hatch for yellow, cross-hatch for red."""
    def pat(status: str, paths: str) -> str:
        return (f'<pattern id="{uid}-{status}" patternUnits="userSpaceOnUse" width="8" '
                f'height="8"><rect width="8" height="8" fill="{_FILL[status]}"/>'
                f'{paths}</pattern>')
    white = 'stroke="#ffffff" stroke-width="1.5"'
    return ("<defs>"
            + pat("yellow", f'<path d="M0 8L8 0" {white}/>')
            + pat("red", f'<path d="M0 8L8 0M0 0L8 8" {white}/>')
            + pat("not_available", f'<path d="M0 4H8" {white}/>')
            + "</defs>")


def achievement_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str = "",
    target: Decimal = _HUNDRED,
    threshold: Decimal | None = Decimal(70),
    status_labels: Mapping[str, str] = STATUS_LABELS,
    target_label: str = "target",
    threshold_label: str = "soglia",
    width: int = 720,
    label_width: int = 260,
) -> str:
    """Horizontal bars of achievement (0-100%) with the status written beside each.

    ``target`` and ``threshold`` draw the lines of the green and the yellow
    status bands. A bar with no achievement is drawn as an empty outline
    with "n.d.". Labels longer than the label column are cut with "…" (the
    full label stays in a ``<title>`` of the row, and in the caller's table).
    """
    row_h, top, bottom = 28, 28, 30
    height = top + row_h * max(len(bars), 1) + bottom
    uid, out = _open(width, height, title, desc, "chart chart-bars")
    out.append(_patterns(uid))
    x0, x1 = label_width + 8, width - 150
    scale = (x1 - x0) / 100

    def x(v: Decimal) -> float:
        return x0 + float(min(max(v, Decimal(0)), _HUNDRED)) * scale

    # axis ticks every 20%
    for t in range(0, 101, 20):
        xt = x(Decimal(t))
        out.append(f'<line x1="{_num(xt)}" y1="{top - 4}" x2="{_num(xt)}" '
                   f'y2="{height - bottom}" stroke="#c5ccd3" stroke-width="1"/>')
        out.append(f'<text x="{_num(xt)}" y="{height - bottom + 16}" text-anchor="middle" '
                   f'fill="{_INK}">{t}%</text>')
    max_chars = max(8, label_width // 7)
    for i, b in enumerate(bars):
        y = top + i * row_h
        label = b.label if len(b.label) <= max_chars else b.label[: max_chars - 1] + "…"
        status_word = status_labels.get(b.status, b.status)
        figure = format_percent(b.achievement, missing=status_labels.get("not_available",
                                                                         "n.d."))
        out.append(f'<g class="bar" data-status="{escape(b.status)}">')
        out.append(f"<title>{escape(b.label)}: {escape(figure)} ({escape(status_word)})"
                   "</title>")
        text = (f'<text x="{label_width}" y="{y + 18}" text-anchor="end" fill="{_INK}">'
                f"{escape(label)}</text>")
        out.append(text)
        if b.achievement is None:
            out.append(f'<rect x="{_num(x0)}" y="{y + 5}" width="{_num(100 * scale)}" '
                       f'height="{row_h - 10}" fill="none" stroke="{_GRID}" '
                       f'stroke-dasharray="3 3"/>')
            shown = figure
        else:
            fill = _FILL[b.status] if b.status == "green" else f"url(#{uid}-{b.status})"
            if b.status not in _FILL:
                fill = _FILL["not_available"]
            w = max(x(b.achievement) - x0, 1.0)
            out.append(f'<rect x="{_num(x0)}" y="{y + 5}" width="{_num(w)}" '
                       f'height="{row_h - 10}" fill="{fill}"/>')
            shown = f"{figure} · {status_word}"
        out.append(f'<text x="{_num(x1 + 8)}" y="{y + 18}" fill="{_INK}" '
                   f'class="figure">{escape(shown)}</text>')
        out.append("</g>")
    for value, label, dash in ((target, target_label, "6 3"),
                               (threshold, threshold_label, "2 3")):
        if value is None:
            continue
        xv = x(value)
        out.append(f'<line x1="{_num(xv)}" y1="{top - 6}" x2="{_num(xv)}" '
                   f'y2="{height - bottom}" stroke="{_INK}" stroke-width="2" '
                   f'stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{_num(xv)}" y="{top - 10}" text-anchor="middle" '
                   f'fill="{_INK}">{escape(label)} {format_percent(value)}</text>')
    out.append("</svg>")
    return "".join(out)


def _nice_step(raw: Decimal) -> Decimal:
    """The step of 1, 2, 2.5 or 5 times a power of ten at or above ``raw``."""
    if raw <= 0:
        return Decimal(1)
    power = Decimal(1).scaleb(raw.adjusted())
    for m in (1, 2, Decimal("2.5"), 5, 10):
        if power * m >= raw:
            return power * m
    return power * 10


def trend_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    percent: bool = True,
    hollow: Sequence[bool] = (),
    missing: str = "n.d.",
    width: int = 720,
    height: int = 300,
) -> str:
    """Lines of one or more series across ``x_labels`` (years or dates).

    ``percent``: values are percentages already (``92.5`` → ``92,5%``); else
    plain numbers (``1234.5`` → ``1.234,5``) — a fraction of a percentage
    unit is the caller's to multiply. ``hollow[i]`` marks the i-th point as
    interim (drawn hollow, its label in italics). Each series has its own
    colour, dash and marker and its name in a legend. With one or two series
    every point has its figure written beside it; with more (they would
    overlap) the legend gives each series' latest figure and every point
    keeps its figure in a ``<title>``. A missing value breaks the line; a
    period with no value at all is written ``missing``.
    """
    # a figure beyond the display range cannot be placed on an axis: drawn as missing
    # (the table beside the chart says "fuori scala")
    series = [Series(s.name, [v if v is None or displayable(v) else None for v in s.values])
              for s in series]
    uid, out = _open(width, height, title, desc, "chart chart-trend")
    labelled = len(series) <= 2
    left, right, top = 70, 20, 20
    legend_h = 22 * ((len(series) + 2) // 3)
    bottom = 40 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for s in series for v in s.values if v is not None]
    lo = min([Decimal(0), *known])
    top_value = max([Decimal(100) if percent else Decimal(1), *known])
    step_value = _nice_step((top_value - lo) / 4)
    lo = (lo / step_value).to_integral_value(rounding="ROUND_FLOOR") * step_value
    tick_hi = (top_value / step_value).to_integral_value(rounding="ROUND_CEILING") * step_value
    ticks = [lo + step_value * k for k in range(int((tick_hi - lo) / step_value) + 1)]
    hi = tick_hi + step_value / 2  # room for the labels above the highest point

    def fmt(v: Decimal) -> str:
        return format_percent(v) if percent else format_number(_round(v, 2))

    def y(v: Decimal) -> float:
        return top + plot_h - float((v - lo) / (hi - lo)) * plot_h

    n = max(len(x_labels), 1)
    step = plot_w / n

    def x(i: int) -> float:
        return left + step * (i + 0.5)

    for v in ticks:
        yv = y(v)
        out.append(f'<line x1="{left}" y1="{_num(yv)}" x2="{width - right}" y2="{_num(yv)}" '
                   f'stroke="#c5ccd3" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{_num(yv + 4)}" text-anchor="end" '
                   f'fill="{_INK}">{escape(fmt(v))}</text>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
               f'y2="{top + plot_h}" stroke="{_GRID}" stroke-width="1"/>')
    for i, label in enumerate(x_labels):
        italic = ' font-style="italic"' if i < len(hollow) and hollow[i] else ""
        out.append(f'<text x="{_num(x(i))}" y="{top + plot_h + 18}" text-anchor="middle" '
                   f'fill="{_INK}"{italic}>{escape(label)}</text>')
    for si, s in enumerate(series):
        colour = _SERIES_COLOURS[si % len(_SERIES_COLOURS)]
        dash = _DASHES[si % len(_DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<g class="series" data-series="{escape(s.name)}">')
        run: list[str] = []
        for i, v in enumerate(s.values):
            if v is None:
                if len(run) > 1:
                    out.append(f'<polyline points="{" ".join(run)}" fill="none" '
                               f'stroke="{colour}" stroke-width="2"{dash_attr}/>')
                run = []
                continue
            run.append(f"{_num(x(i))},{_num(y(v))}")
        if len(run) > 1:
            out.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"{dash_attr}/>')
        for i, v in enumerate(s.values):
            label = x_labels[i] if i < len(x_labels) else ""
            if v is None:
                continue
            interim = i < len(hollow) and hollow[i]
            fill = "#ffffff" if interim else colour
            cy = y(v)
            marker = (f'<circle cx="{_num(x(i))}" cy="{_num(cy)}" r="4.5" fill="{fill}" '
                      f'stroke="{colour}" stroke-width="2"/>' if si % 2 == 0 else
                      f'<rect x="{_num(x(i) - 4.5)}" y="{_num(cy - 4.5)}" width="9" '
                      f'height="9" fill="{fill}" stroke="{colour}" stroke-width="2"/>')
            out.append(marker)
            if labelled:
                dy = -10 if si % 2 == 0 else 20
                out.append(f'<text x="{_num(x(i) + 8)}" y="{_num(cy + dy)}" fill="{_INK}" '
                           f'class="figure">{escape(fmt(v))}<title>{escape(s.name)}, '
                           f"{escape(label)}: {escape(fmt(v))}</title></text>")
            else:
                out.append(f"<title>{escape(s.name)}, {escape(label)}: {escape(fmt(v))}"
                           "</title>")
        out.append("</g>")
    # a period no series has a value for: say so once
    for i in range(len(x_labels)):
        if all(i >= len(s.values) or s.values[i] is None for s in series):
            out.append(f'<text x="{_num(x(i))}" y="{_num(top + plot_h - 8)}" '
                       f'text-anchor="middle" fill="{_INK}" class="figure">'
                       f"{escape(missing)}</text>")
    # legend: a line sample in the series' colour and dash, then its name
    ly = height - legend_h + 6
    for si, s in enumerate(series):
        colour = _SERIES_COLOURS[si % len(_SERIES_COLOURS)]
        dash = _DASHES[si % len(_DASHES)]
        lx = left + (si % 3) * (plot_w / 3)
        row_y = ly + 22 * (si // 3)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{_num(lx)}" y1="{row_y}" x2="{_num(lx + 28)}" y2="{row_y}" '
                   f'stroke="{colour}" stroke-width="3"{dash_attr}/>')
        name = s.name
        if not labelled:  # the figures would overlap: the legend gives the latest
            last = next(((x_labels[i], v) for i, v in reversed(list(enumerate(s.values)))
                         if v is not None and i < len(x_labels)), None)
            if last is not None:
                name += f": {fmt(last[1])} ({last[0]})"
        out.append(f'<text x="{_num(lx + 34)}" y="{row_y + 4}" fill="{_INK}" '
                   f'class="legend">{escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)
