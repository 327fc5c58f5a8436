"""The dashboards' row dates are formatted once per day (sessions.workspace._Dates, #11): the
same text as the date filter gives, in both languages, at every hour."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from sessions.workspace.common import Dates as _Dates
from sessions.workspace.common import line as _line

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("language", ["en", "id"])
def test_each_format_gives_what_the_date_filter_gives(language):
    start = datetime(2026, 12, 27, 0, 0, tzinfo=JAKARTA)
    moments = [start + timedelta(hours=7 * i, minutes=13 * i) for i in range(40)]  # 12 days
    with translation.override(language):
        dates = _Dates()
        for moment in moments:
            for format in ("D j M, H:i", "j M, H:i", "H:i", "j M", "j M Y"):
                assert dates.format(moment, format) == date_format(moment, format)
        for day in (date(2026, 12, 31), date(2027, 1, 1)):
            assert dates.day(day, "j M Y") == date_format(day, "j M Y")
        assert dates.format(start.replace(hour=9, minute=5), "H:i") == "09:05"
    assert len(dates.days) < len(moments)  # a day's words formatted once


def test_a_rows_text_escapes_each_part_as_the_template_did_and_keeps_safe_labels():
    label = mark_safe("session <b>3</b>")  # a label built escaped (as the tag gave it)
    assert _line("Ann <script>", label, 'O"Neil & co') == (
        "Ann &lt;script&gt; · session <b>3</b> · O&quot;Neil &amp; co"
    )
    assert _line("a", "b", sep=", ") == "a, b"
    assert _line("a", None) == "a · None"  # as {{ None }} rendered
