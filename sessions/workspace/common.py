"""What the dashboards' panels share: the reader's day and time zone, lists cut at LIMIT
rows, and rows' text, dates and links computed once per row (sessions.workspace)."""

import html
import zoneinfo
from datetime import datetime, time, timedelta
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import now
from django.utils.translation import get_language, gettext

from coaching.templatetags.rowurls import row_url_maker

LIMIT = 8  # rows per list on a dashboard; the rest are counted and linked
WEEK_DAYS = 7
ENDING_SOON_DAYS = 30
DECISION_DAYS = 30  # how far back a late cancellation or an unmarked session still asks
UNFINISHED_DAYS = 60  # how far back a held session's missing notes still ask


def local_day(access, at=None):
    """Start and end of the reader's day (their time zone, else the practice's)."""
    tz = reader_timezone(access)
    today = (at or now()).astimezone(tz).date()
    start = datetime.combine(today, time.min, tzinfo=tz)
    return today, start, start + timedelta(days=1)


def cut(rows):
    """(the first LIMIT rows, whether there are more) from a list fetched with LIMIT + 1. Only
    that there are more is known: the panels said "and 1 more" when many more waited."""
    return rows[:LIMIT], len(rows) > LIMIT


def reader_timezone(access):
    """The reader's time zone (their own, else the practice's, else UTC), as local_day and the
    panels' {% timezone %} take it."""
    name = access.user.timezone or access.practice.timezone or "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def line(*parts, sep=" · "):
    """Parts of a row's text joined as the template joined its variables: each escaped (a
    label already safe stays as it is), one template variable instead of several per row
    (#11: resolving a variable and escaping its value, per variable, was most of the rows'
    rendering)."""
    # conditional_escape's rule, without its lazy-string wrapper per part: what has __html__
    # is safe as it is; the rest is html.escape()d, as django.utils.html.escape does.
    escaped = (p.__html__() if hasattr(p, "__html__") else html.escape(str(p)) for p in parts)
    return mark_safe(html.escape(sep).join(escaped))  # noqa: S308 # each part escaped


@lru_cache(maxsize=4096)
def day_words(language, day, format):
    """date_format(day, format) in `language` (the active one, passed so that it is part of
    the key): a pure function of its arguments, kept for the days the dashboards show again
    and again (today, this week); date_format's translated day and month names were looked
    up per row and per request (#11)."""
    return date_format(day, format)


class Dates:
    """Dates and times as the date filter gives them ("D j M, H:i", "j M", "H:i"), a day's
    words formatted once per list (#11: a date_format per row, its translated day and month
    names looked up each time, was a tenth of a dashboard's Python work). The same text:
    "H:i" is the hour and minutes, zero-padded; the day's part is date_format's own."""

    def __init__(self):
        self.days = {}
        self.language = get_language()

    def day(self, value, format):
        key = (value.date() if isinstance(value, datetime) else value, format)
        if key not in self.days:
            self.days[key] = day_words(self.language, *key)
        return self.days[key]

    def format(self, local, format):
        """`local`, an aware datetime in the reader's zone, in `format`."""
        if format == "H:i":
            return f"{local:%H:%M}"
        if format.endswith(", H:i"):
            return f"{self.day(local, format[: -len(', H:i')])}, {local:%H:%M}"
        return self.day(local, format)


def session_rows(access, rows, **dates):
    """What the session rows show besides their values, computed once per row instead of by
    the template's tags per row (#11): the client's name (User.display_name), "session 3"
    translated once, the links (coaching.templatetags.rowurls), and each of `dates`
    ({name: date format}) the start in the reader's time zone as the panels' date filter
    under {% timezone %} gave it. The same text as the tags gave."""
    tz = reader_timezone(access)
    prepare = row_url_maker("session_prepare", access.practice.slug)
    run = row_url_maker("session_run", access.practice.slug)
    session_n = gettext("session %(number)s")
    formatted = Dates()
    for row in rows:
        row["client_name"] = row["client__full_name"] or row["client__email"]
        number = conditional_escape(row["number"])
        row["number_label"] = mark_safe(session_n % {"number": number})  # noqa: S308 # as the tag
        row["prepare_url"], row["run_url"] = prepare(row["code"]), run(row["code"])
        if dates:
            local = row["starts_at"].astimezone(tz)
            for name, format in dates.items():
                row[name] = formatted.format(local, format)
    return rows
