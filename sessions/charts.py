"""The progress chart: each objective's rating across sessions, as plain data for an inline SVG."""

COLORS = ["#0d6efd", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545"]
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 220, 36, 16, 12, 28


def progress_chart(*, objectives, sessions, ratings):
    """objectives and sessions in order; ratings: rows with objective_id, session_id, score."""
    sessions = [s for s in sessions if any(r.session_id == s.pk for r in ratings)]
    if not sessions or not objectives:
        return None
    step = (WIDTH - LEFT - RIGHT) / max(len(sessions) - 1, 1)
    x_of = {s.pk: round(LEFT + i * step, 1) for i, s in enumerate(sessions)}

    def y(score):
        return round(TOP + (10 - score) * (HEIGHT - TOP - BOTTOM) / 10, 1)

    by_objective = {}
    for rating in ratings:
        if rating.session_id in x_of:
            by_objective.setdefault(rating.objective_id, []).append(rating)
    series = []
    for index, objective in enumerate(objectives):
        points = sorted(by_objective.get(objective.pk, []), key=lambda r: x_of[r.session_id])
        dots = [(x_of[r.session_id], y(r.score), r.score) for r in points]
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
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - 8,
        "grid": [(score, y(score)) for score in (0, 5, 10)],
        "sessions": [(x_of[s.pk], s.number) for s in sessions],
        "series": series,
    }
