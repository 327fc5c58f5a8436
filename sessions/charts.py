"""The progress chart: each objective's rating across sessions, as plain data for an inline SVG,
and that SVG's repeated elements written here (#11: the template's loops over every dot were
the client dashboard's costliest template; coaching_sessions/_progress_chart.html)."""

from html import escape

from django.utils.safestring import mark_safe

COLORS = ["#0d6efd", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545"]
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 220, 36, 16, 16, 28


def _n(value):
    return f"{value:.1f}"


def progress_chart(*, objectives, sessions, ratings):
    """objectives and sessions in order; ratings: rows with objective_id, session_id, score."""
    rated = {r.session_id for r in ratings}  # #11: a set, not a scan of the ratings per session
    sessions = [s for s in sessions if s.pk in rated]
    if not sessions or not objectives:
        return None
    # Coordinates are strings: the template would localize numbers ("192,0" in Indonesian).
    step = (WIDTH - LEFT - RIGHT) / max(len(sessions) - 1, 1)
    order = {s.pk: i for i, s in enumerate(sessions)}
    x_of = {s.pk: _n(LEFT + i * step) for i, s in enumerate(sessions)}

    def y(score):
        return _n(TOP + (10 - score) * (HEIGHT - TOP - BOTTOM) / 10)

    by_objective = {}
    for rating in ratings:
        if rating.session_id in x_of:
            by_objective.setdefault(rating.objective_id, []).append(rating)
    series = []
    for index, objective in enumerate(objectives):
        points = sorted(by_objective.get(objective.pk, []), key=lambda r: order[r.session_id])
        dots = [(x_of[r.session_id], y(r.score), str(r.score)) for r in points]
        series.append(
            {
                "number": index + 1,
                "text": objective.text,
                "color": COLORS[index % len(COLORS)],
                "points": " ".join(f"{dx},{dy}" for dx, dy, _ in dots),
                "dots": dots,
            }
        )
    chart = {
        "width": _n(WIDTH),
        "height": _n(HEIGHT),
        "left": _n(LEFT),
        "label_x": _n(LEFT - 6),
        "right": _n(WIDTH - RIGHT),
        "label_y": _n(HEIGHT - 8),
        "grid": [(str(score), y(score)) for score in (0, 5, 10)],
        "sessions": [(x_of[s.pk], str(s.number)) for s in sessions],
        "series": series,
    }
    chart.update(_markup(chart))
    return chart


def _escape(value):
    """conditional_escape's text, in fewer calls (#11: about a hundred values a chart)."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _markup(chart):
    """The grid, the session numbers, the lines with their dots and the legend's items, as the
    template's loops wrote them (the same text; values escaped as the template escapes them)."""
    e = _escape
    grid = "".join(
        f'<line x1="{e(chart["left"])}" x2="{e(chart["right"])}" y1="{e(y)}" y2="{e(y)}" '
        f'stroke="#ccc" stroke-dasharray="3 3"/><text x="{e(chart["label_x"])}" y="{e(y)}" '
        f'font-size="11" text-anchor="end" dominant-baseline="middle">{e(score)}</text>'
        for score, y in chart["grid"]
    )
    labels = "".join(
        f'<text x="{e(x)}" y="{e(chart["label_y"])}" font-size="11" text-anchor="middle">'
        f"{e(number)}</text>"
        for x, number in chart["sessions"]
    )
    lines, legend = [], []
    for line in chart["series"]:
        color = e(line["color"])
        dots = "".join(
            f'<circle cx="{e(x)}" cy="{e(y)}" r="3.5" fill="{color}"><title>{e(score)}</title>'
            "</circle>"
            for x, y, score in line["dots"]
        )
        lines.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2" '
            f'points="{e(line["points"])}"/>\n  {dots}'
        )
        scores = ", ".join(e(score) for _, _, score in line["dots"])
        legend.append(
            f'<li><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" '
            f'fill="{color}"/></svg> {line["number"]}. {e(line["text"])}'
            f"{f' — {scores}' if line['dots'] else ''}</li>"
        )
    # Every value above is escaped; the rest is this function's own markup.
    return {
        "grid_svg": mark_safe(grid),  # noqa: S308
        "sessions_svg": mark_safe(labels),  # noqa: S308
        "series_svg": mark_safe("".join(lines)),  # noqa: S308
        "legend_html": mark_safe("".join(legend)),  # noqa: S308
    }
