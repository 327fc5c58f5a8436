"""The progress chart: each objective's rating across sessions, as plain data for an inline SVG."""

COLORS = ["#0d6efd", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545"]
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 220, 36, 16, 16, 28


def _n(value):
    return f"{value:.1f}"


def progress_chart(*, objectives, sessions, ratings):
    """objectives and sessions in order; ratings: rows with objective_id, session_id, score."""
    sessions = [s for s in sessions if any(r.session_id == s.pk for r in ratings)]
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
    return {
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
