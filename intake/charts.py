"""The assessment chart: each dimension (a scale question) at the start, the midpoint and
graduation, as plain data for an inline SVG (one row per dimension, a dot per stage, a line
from the first to the last). Readable without JavaScript; the numbers are in the legend too."""

STAGES = ["start", "midpoint", "graduation"]
COLORS = {"start": "#6c757d", "midpoint": "#fd7e14", "graduation": "#198754"}
WIDTH, LEFT, RIGHT, ROW, TOP = 560, 16, 16, 34, 24


def _n(value):
    # Coordinates are strings: the template would localize numbers ("192,0" in Indonesian).
    return f"{value:.1f}"


def assessment_chart(responses, language=None):
    """responses: answered assessments (read through the gate), each with a stage. A dimension
    is a scale question, matched across versions by its English text; its value at a stage is
    the answer scaled to 0-100 % of its scale (so scales of different lengths compare)."""
    by_stage = {}
    for response in sorted(responses, key=lambda r: r.submitted_at):
        if response.stage in STAGES:
            by_stage[response.stage] = response  # the latest answer of a stage counts
    if not by_stage:
        return None
    dimensions = {}  # English text -> {"label": ..., stage: (value, low, high)}
    for stage, response in by_stage.items():
        answers = response.answers or {}
        for q in response.version.questions.all():
            value = answers.get(q.key)
            if q.type != "scale" or value in (None, ""):
                continue
            row = dimensions.setdefault(q.text_en, {"label": q.text(language)})
            row[stage] = (int(value), q.scale_min, q.scale_max)
    if not dimensions:
        return None
    span = WIDTH - LEFT - RIGHT

    def x(value, low, high):
        return LEFT + (value - low) * span / (high - low)

    rows = []
    for index, row in enumerate(dimensions.values()):
        y = TOP + index * ROW + ROW / 2
        dots = [
            {
                "stage": stage,
                "x": _n(x(*row[stage])),
                "value": row[stage][0],
                "scale": f"{row[stage][1]}–{row[stage][2]}",
                "color": COLORS[stage],
            }
            for stage in STAGES
            if stage in row
        ]
        first, last = dots[0], dots[-1]
        rows.append(
            {
                "label": row["label"],
                "y": _n(y),
                "label_y": _n(y - 9),
                "dots": dots,
                "from_x": first["x"],
                "to_x": last["x"],
                "change": last["value"] - first["value"] if len(dots) > 1 else None,
            }
        )
    return {
        "width": _n(WIDTH),
        "height": _n(TOP + len(rows) * ROW + 8),
        "left": _n(LEFT),
        "right": _n(WIDTH - RIGHT),
        "rows": rows,
        "stages": [s for s in STAGES if s in by_stage],
        "colors": COLORS,
    }
