from types import SimpleNamespace as Row

from django.template import Context, Template
from django.utils import translation

from sessions.charts import progress_chart


def test_the_chart_draws_each_objective_in_session_order():
    sessions = [Row(pk=pk, number=pk) for pk in range(1, 13)]
    objectives = [Row(pk=1, text="A"), Row(pk=2, text="B")]
    ratings = [Row(session_id=s.pk, objective_id=1, score=s.pk % 11) for s in reversed(sessions)]
    chart = progress_chart(objectives=objectives, sessions=sessions, ratings=ratings)
    scores = [score for _, _, score in chart["series"][0]["dots"]]
    assert scores == [str(n % 11) for n in range(1, 13)]
    assert chart["series"][1]["dots"] == []
    assert chart["series"][0]["points"].startswith("36.0,")


def test_no_ratings_no_chart():
    assert progress_chart(objectives=[Row(pk=1, text="A")], sessions=[], ratings=[]) is None


# The chart's loops as the template wrote them before #11 moved them into sessions.charts.
_LOOPS = (
    '{% for score, y in chart.grid %}<line x1="{{ chart.left }}" x2="{{ chart.right }}" '
    'y1="{{ y }}" y2="{{ y }}" stroke="#ccc" stroke-dasharray="3 3"/><text x="{{ chart.label_x }}"'
    ' y="{{ y }}" font-size="11" text-anchor="end" dominant-baseline="middle">{{ score }}</text>'
    "{% endfor %}|"
    '{% for x, number in chart.sessions %}<text x="{{ x }}" y="{{ chart.label_y }}" '
    'font-size="11" text-anchor="middle">{{ number }}</text>{% endfor %}|'
    '{% for line in chart.series %}<polyline fill="none" stroke="{{ line.color }}" '
    'stroke-width="2" points="{{ line.points }}"/>\n  {% for x, y, score in line.dots %}'
    '<circle cx="{{ x }}" cy="{{ y }}" r="3.5" fill="{{ line.color }}"><title>{{ score }}</title>'
    "</circle>{% endfor %}{% endfor %}|"
    '{% for line in chart.series %}<li><svg width="10" height="10" aria-hidden="true"><rect '
    'width="10" height="10" fill="{{ line.color }}"/></svg> {{ line.number }}. {{ line.text }}'
    "{% if line.dots %} — {% for x, y, score in line.dots %}{{ score }}{% if not forloop.last %}, "
    "{% endif %}{% endfor %}{% endif %}</li>{% endfor %}"
)


def test_the_chart_markup_is_what_the_templates_loops_wrote():
    objectives = [Row(pk=1, text='Lead <b>"calmly"</b> & well'), Row(pk=2, text="Delegate")]
    objectives += [Row(pk=n, text=f"Objective {n}") for n in range(3, 12)]
    sessions = [Row(pk=10 + n, number=n) for n in range(1, 13)]
    ratings = [Row(objective_id=1, session_id=10 + n, score=n % 11) for n in range(1, 13)]
    ratings.append(Row(objective_id=11, session_id=12, score=10))
    chart = progress_chart(objectives=objectives, sessions=sessions, ratings=ratings)
    for language in ("en", "id"):
        with translation.override(language):
            old = Template(_LOOPS).render(Context({"chart": chart}))
        new = "|".join(
            chart[key] for key in ("grid_svg", "sessions_svg", "series_svg", "legend_html")
        )
        assert new == old
    assert "Lead &lt;b&gt;&quot;calmly&quot;&lt;/b&gt; &amp; well — 1, 2, 3" in new
