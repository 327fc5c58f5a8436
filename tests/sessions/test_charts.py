from types import SimpleNamespace as Row

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
