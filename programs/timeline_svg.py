"""The timeline's picture: an SVG drawn on the server from the events of the
page (the same events as the list under it, which is its text equivalent).

No script and no ``style`` attribute or element (the site's Content Security
Policy allows neither): colours are SVG presentation attributes, the size is
in ``static/css/site.css``. The picture is one ``role="img"`` named by its
``<title>`` and ``<desc>``; ``aria-describedby`` points at the list. Each
event is one mark, shaped by how precisely the sources date it:

===========================  ======================================  ============
precision                    mark                                    ``data-shape``
===========================  ======================================  ============
day                          a filled point                          ``point``
day, with an end date        a bar from the first to the last day    ``range``
month (or months)            a band over the month(s)                ``band``
quarter                      a hatched band over the quarter          ``band``
year                         a dotted band over the year             ``band``
unknown (no date)            an open circle, in "date not stated"    ``open``
===========================  ======================================  ============

Each mark has a ``<title>`` (its title and date, as the list gives it) for
hover; one lane per vendor (the event's, else its program's name)."""

import datetime

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from utilities.dates import DatePrecision, display_period

WIDTH = 900
LABEL_W = 150  # lane names
UNDATED_W = 150  # the "date not stated" column
ROW_H = 26
AXIS_H = 44
LEGEND_H = 34
TOP = 8
MIN_MARK_W = 8

ACCENT = "#0a4fa8"
BAND = "#9cc0ee"
QUARTER = "#6a8fc4"
YEAR = "#c9d9ef"
INK = "#1b1f24"
MUTED = "#57606a"
LINE = "#d0d7de"
SOFT = "#f6f8fa"


def period_end(day, precision):
    """The day after the period that begins on ``day`` (exclusive end)."""
    if precision == DatePrecision.MONTH:
        return _next_month(day.replace(day=1))
    if precision == DatePrecision.QUARTER:
        first = day.replace(day=1, month=(day.month - 1) // 3 * 3 + 1)
        return _next_month(_next_month(_next_month(first)))
    if precision == DatePrecision.YEAR:
        return datetime.date(day.year + 1, 1, 1)
    return day + datetime.timedelta(days=1)


def _next_month(day):
    return datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def shape_of(event):
    """``point``, ``range``, ``band`` or ``open`` (see the module's table)."""
    if event.start_date is None or event.precision == DatePrecision.UNKNOWN:
        return "open"
    if event.precision == DatePrecision.DAY:
        return "range" if event.end_date and event.end_date != event.start_date else "point"
    return "band"


def lane_of(event):
    if event.vendor_id:
        return event.vendor.name
    return event.program.name if event.program_id else ""


def _attrs(**attrs):
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items() if v is not None)


def _el(tag, text=None, **attrs):
    """One SVG element; ``text`` (escaped) inside it, else self-closing."""
    if text is None:
        return f"<{tag} {_attrs(**attrs)}/>"
    return f"<{tag} {_attrs(**attrs)}>{escape(text)}</{tag}>"


def _label(event):
    when = display_period(event.start_date, event.precision, event.end_date)
    if not when:
        when = _("date not stated in the sources")
        if event.date_text:
            when += " — " + _("as stated: %(text)s") % {"text": event.date_text}
    return f"{event.title} — {when}"


class _Scale:
    def __init__(self, first, last, x0, x1):
        self.first, self.last, self.x0, self.x1 = first, last, x0, x1
        self.days = (last - first).days or 1

    def x(self, day):
        return self.x0 + (self.x1 - self.x0) * (day - self.first).days / self.days


def render(events, describedby=None, id_prefix="timeline"):
    """The SVG (a safe string) for ``events``; '' when there are none."""
    events = list(events)
    if not events:
        return ""
    dated = [e for e in events if shape_of(e) != "open"]
    undated = [e for e in events if shape_of(e) == "open"]
    lanes = []
    for e in events:
        if lane_of(e) not in lanes:
            lanes.append(lane_of(e))
    lanes.sort(key=str.lower)

    plot_x0 = LABEL_W
    plot_x1 = WIDTH - (UNDATED_W if undated else 0) - 10
    scale = None
    if dated:
        first_year = min(e.start_date.year for e in dated)
        ends = [period_end(e.end_date or e.start_date, e.precision) for e in dated]
        last_year = max(d.year - (d.month == 1 and d.day == 1) for d in ends)
        scale = _Scale(datetime.date(first_year, 1, 1), datetime.date(last_year + 1, 1, 1), plot_x0, plot_x1)

    # Place the marks: rows within a lane so that marks never overlap.
    placed = []  # (event, lane, row, shape, x_from, x_to)
    rows_of = {lane: 1 for lane in lanes}
    taken = {lane: [] for lane in lanes}  # [(row, x_from, x_to)]
    for e in dated:
        shape, lane = shape_of(e), lane_of(e)
        a = scale.x(e.start_date)
        b = scale.x(period_end(e.end_date or e.start_date, e.precision))
        if shape == "point" or b - a < MIN_MARK_W:
            mid = (a + b) / 2 if shape != "point" else a
            a, b = mid - MIN_MARK_W / 2, mid + MIN_MARK_W / 2
        row = 0
        while any(r == row and a < tb + 4 and ta < b + 4 for r, ta, tb in taken[lane]):
            row += 1
        taken[lane].append((row, a, b))
        rows_of[lane] = max(rows_of[lane], row + 1)
        placed.append((e, lane, row, shape, a, b))
    per_row = max(1, (UNDATED_W - 20) // 20)
    undated_x0 = WIDTH - UNDATED_W
    seen = {lane: 0 for lane in lanes}
    for e in undated:
        lane = lane_of(e)
        i = seen[lane]
        seen[lane] += 1
        row, col = divmod(i, per_row)
        rows_of[lane] = max(rows_of[lane], row + 1)
        x = undated_x0 + 16 + col * 20
        placed.append((e, lane, row, "open", x, x))

    lane_top, y = {}, TOP + AXIS_H
    for lane in lanes:
        lane_top[lane] = y
        y += rows_of[lane] * ROW_H + 6
    plot_bottom = y
    height = plot_bottom + LEGEND_H + 8

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        "<svg "
        + _attrs(
            xmlns="http://www.w3.org/2000/svg",
            class_="timeline-svg",
            viewBox=f"0 0 {WIDTH} {height}",
            width=str(WIDTH),
            height=str(height),
            role="img",
            aria_labelledby=f"{title_id} {desc_id}",
            aria_describedby=describedby,
            font_family="system-ui, sans-serif",
            font_size="13",
        )
        + ">"
    ]
    title = _("The time span of these events")
    out.append(f'<title id="{title_id}">{escape(title)}</title>')
    out.append(f'<desc id="{desc_id}">{escape(_describe(dated, undated, lanes))}</desc>')

    # Lanes and their names.
    for i, lane in enumerate(lanes):
        top, h = lane_top[lane], rows_of[lane] * ROW_H
        if i % 2 == 0:
            out.append(f"<rect {_attrs(x='0', y=_n(top - 3), width=str(WIDTH), height=_n(h + 6), fill=SOFT)}/>")
        out.append(
            f"<text {_attrs(x='6', y=_n(top + ROW_H / 2 + 4), fill=INK, font_weight='600')}>"
            f"{escape(_clip(lane or '—', 20))}</text>"
        )

    # The axis: years, and months when the span is short.
    axis_y = TOP + AXIS_H - 6
    if scale:
        years = range(scale.first.year, scale.last.year)
        for year in years:
            start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
            xa, xb = scale.x(start), scale.x(end)
            out.append(f"<line {_attrs(x1=_n(xa), y1=str(TOP), x2=_n(xa), y2=_n(plot_bottom), stroke=MUTED)}/>")
            out.append(
                _el(
                    "text",
                    str(year),
                    x=_n((xa + xb) / 2),
                    y=str(TOP + 14),
                    text_anchor="middle",
                    fill=INK,
                    font_weight="700",
                )
            )
            if len(years) <= 3:
                month = start
                while month < end:
                    xm, xn = scale.x(month), scale.x(_next_month(month))
                    if month.month != 1:
                        out.append(
                            f"<line {_attrs(x1=_n(xm), y1=str(TOP + 20), x2=_n(xm), y2=_n(plot_bottom), stroke=LINE)}/>"
                        )
                    if len(years) == 1 or month.month in (1, 4, 7, 10):
                        name = date_format(month, "M")
                        x = _n((xm + xn) / 2)
                        out.append(
                            _el("text", name, x=x, y=_n(axis_y), text_anchor="middle", fill=MUTED, font_size="11")
                        )
                    month = _next_month(month)
        last = scale.x(scale.last)
        out.append(f"<line {_attrs(x1=_n(last), y1=str(TOP), x2=_n(last), y2=_n(plot_bottom), stroke=MUTED)}/>")
    undated_heading, undated_note = _("Date not stated"), _("in the order told")
    no_date = _("No event here has a date.")
    if undated:
        x = _n(undated_x0 - 4)
        out.append(_el("line", x1=x, y1=str(TOP), x2=x, y2=_n(plot_bottom), stroke=MUTED, stroke_dasharray="4 3"))
        out.append(
            f"<text {_attrs(x=_n(undated_x0 + 6), y=str(TOP + 14), fill=INK, font_weight='700')}>"
            f"{escape(undated_heading)}</text>"
        )
        out.append(
            f"<text {_attrs(x=_n(undated_x0 + 6), y=_n(axis_y), fill=MUTED, font_size='11')}>"
            f"{escape(undated_note)}</text>"
        )
    y = _n(TOP + AXIS_H - 2)
    out.append(_el("line", x1=str(LABEL_W), y1=y, x2=str(WIDTH), y2=y, stroke=MUTED))
    if not dated:
        out.append(
            f"<text {_attrs(x=_n((plot_x0 + plot_x1) / 2), y=_n(TOP + AXIS_H + 18), text_anchor='middle', fill=MUTED)}>"
            f"{escape(no_date)}</text>"
        )

    # The marks.
    out.append(
        f'<defs><pattern id="{id_prefix}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{BAND}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{QUARTER}" stroke-width="3"/></pattern></defs>'
    )
    out.append('<g class="timeline-marks">')
    for e, lane, row, shape, a, b in placed:
        cy = lane_top[lane] + row * ROW_H + ROW_H / 2
        out.append(_mark(e, shape, a, b, cy, id_prefix))
    out.append("</g>")

    out.append(_legend(plot_bottom + 8, dated, undated, id_prefix))
    out.append("</svg>")
    return mark_safe("".join(out))


def _mark(e, shape, a, b, cy, id_prefix):
    common = {"class_": f"timeline-mark timeline-{shape}", "data_shape": shape, "data_precision": e.precision}
    common["data_event"] = e.slug
    title = f"<title>{escape(_label(e))}</title>"
    if shape == "point":
        body = f"<circle {_attrs(cx=_n(a + MIN_MARK_W / 2), cy=_n(cy), r='5', fill=ACCENT)}/>"
    elif shape == "range":
        body = (
            f"<rect {_attrs(x=_n(a), y=_n(cy - 4), width=_n(b - a), height='8', rx='2', fill=ACCENT)}/>"
            f"<line {_attrs(x1=_n(a), y1=_n(cy - 7), x2=_n(a), y2=_n(cy + 7), stroke=ACCENT, stroke_width='2')}/>"
            f"<line {_attrs(x1=_n(b), y1=_n(cy - 7), x2=_n(b), y2=_n(cy + 7), stroke=ACCENT, stroke_width='2')}/>"
        )
    elif shape == "band":
        fill, dash = BAND, None
        if e.precision == DatePrecision.QUARTER:
            fill = f"url(#{id_prefix}-hatch)"
        elif e.precision == DatePrecision.YEAR:
            fill, dash = YEAR, "2 2"
        rect = _attrs(x=_n(a), y=_n(cy - 9), width=_n(b - a), height="18", rx="3", fill=fill, stroke=ACCENT)
        body = f"<rect {rect} {_attrs(stroke_dasharray=dash)}/>" if dash else f"<rect {rect}/>"
    else:
        body = f"<circle {_attrs(cx=_n(a), cy=_n(cy), r='6', fill='#fff', stroke=ACCENT, stroke_width='2')}/>"
    return f"<g {_attrs(**common)}>{title}{body}</g>"


def _legend(y, dated, undated, id_prefix):
    items = [
        ("point", DatePrecision.DAY, _("a day")),
        ("range", DatePrecision.DAY, _("from one day to another")),
        ("band", DatePrecision.MONTH, _("a month")),
        ("band", DatePrecision.QUARTER, _("a quarter")),
        ("band", DatePrecision.YEAR, _("a year")),
        ("open", DatePrecision.UNKNOWN, _("date not stated")),
    ]
    out = [f'<g class="timeline-legend" {_attrs(transform=f"translate({LABEL_W} {y})")}>']
    heading = _("Dated to:")
    out.append(f"<text {_attrs(x=str(6 - LABEL_W), y='16', fill=MUTED)}>{escape(heading)}</text>")
    x = 0
    for shape, precision, text in items:
        cy = 12
        if shape == "point":
            sample = f"<circle {_attrs(cx=_n(x + 6), cy=str(cy), r='5', fill=ACCENT)}/>"
            w = 12
        elif shape == "range":
            sample = f"<rect {_attrs(x=_n(x), y=str(cy - 4), width='26', height='8', rx='2', fill=ACCENT)}/>"
            w = 26
        elif shape == "band":
            fill, dash = BAND, None
            if precision == DatePrecision.QUARTER:
                fill = f"url(#{id_prefix}-hatch)"
            elif precision == DatePrecision.YEAR:
                fill, dash = YEAR, "2 2"
            rect = _attrs(x=_n(x), y=str(cy - 8), width="26", height="16", rx="3", fill=fill, stroke=ACCENT)
            sample = f"<rect {rect} {_attrs(stroke_dasharray=dash)}/>" if dash else f"<rect {rect}/>"
            w = 26
        else:
            sample = _el("circle", cx=_n(x + 6), cy=str(cy), r="6", fill="#fff", stroke=ACCENT, stroke_width="2")
            w = 12
        out.append(sample)
        out.append(f"<text {_attrs(x=_n(x + w + 5), y=str(cy + 4), fill=INK, font_size='12')}>{escape(text)}</text>")
        x += w + 14 + 6.3 * len(text)
    out.append("</g>")
    return "".join(out)


def _describe(dated, undated, lanes):
    parts = [
        ngettext("%(n)s event", "%(n)s events", len(dated) + len(undated)) % {"n": len(dated) + len(undated)},
    ]
    if dated:
        first = min(e.start_date for e in dated)
        last = max(e.end_date or e.start_date for e in dated)
        span = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
        parts.append(
            ngettext("%(n)s dated, in %(span)s", "%(n)s dated, in %(span)s", len(dated))
            % {"n": len(dated), "span": span}
        )
    if undated:
        parts.append(
            ngettext(
                "%(n)s whose date the sources do not state",
                "%(n)s whose date the sources do not state",
                len(undated),
            )
            % {"n": len(undated)}
        )
    parts.append(ngettext("one lane per vendor (%(n)s)", "one lane per vendor (%(n)s)", len(lanes)) % {"n": len(lanes)})
    return "; ".join(parts) + ". " + _("The list below gives each event with its date as the sources state it.")


def _clip(text, n):
    return text if len(text) <= n else text[: n - 1] + "…"


def _n(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")
