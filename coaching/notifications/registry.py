"""Each app declares its reminder kinds here, at import time of its notifications module.

A kind says how to describe its object (practice, a non-confidential label, the link for one
recipient), the one-line text shown in the email and the in-app list, and whether the reminder
is still wanted when it falls due. Renderers read only the Reminder row and logistics; they
never put coaching content (notes, themes, task text) in front of anyone.
"""

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from coaching import emails


@dataclass(frozen=True)
class Description:
    practice: object
    label: str  # e.g. "Session 3"; never content
    path: str  # a link into the app for this recipient


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # lazy translated string, shown on the preferences page
    describe: Callable  # (obj, recipient) -> Description
    text: Callable  # (reminder) -> str, in the active language and time zone
    is_current: Callable | None = None  # (reminder) -> bool; False cancels it when due
    # (reminders) -> the pks of those still current: is_current for a dispatch batch in one
    # query (dispatch.deliver_batch); without it, is_current is asked row by row.
    current_among: Callable | None = None
    email_template: str = "reminder"
    # (message, reminder, recipient) -> None: adds attachments (an .ics) to the email.
    attach: Callable | None = None


_KINDS: dict[str, Kind] = {}


def register(kind):
    _KINDS[kind.name] = kind
    return kind


def get(name):
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"unknown reminder kind {name!r}") from None


def all_kinds():
    return list(_KINDS.values())


def render_email(reminder, recipient, group=None):
    """(subject, text, html) in the recipient's language and time zone: a line and a link;
    for a batch (group: the rows one email covers), a line per row."""
    kind = get(reminder.kind)

    language = recipient.language or reminder.practice.default_language
    tz = recipient.timezone or reminder.practice.timezone
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(tz)):
        lines = [str(kind.text(row)) for row in (group or [reminder])]
        label = str(kind.label)
    context = {
        "line": lines[0],
        "lines": lines,
        "kind_label": label,
        "link": settings.SITE_URL.rstrip("/") + reminder.path,
        "practice_name": reminder.practice.name,
        "recipient_name": recipient.get_short_name(),
    }
    return emails.render(kind.email_template, context, language=language, timezone_name=tz)


def reverse_first(candidates):
    """The first of (url name, kwargs) that resolves: a reminder links to the most specific
    page that exists for its recipient, else "/"."""
    for name, kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return "/"


def occasion_time(reminder):
    """The moment in an occasion such as "24h-before:<iso datetime>"."""
    return datetime.fromisoformat(reminder.occasion.split(":", 1)[1])


def local_moment(practice, day, hour=9):
    """`hour` o'clock on `day` in the practice's time zone."""
    return datetime.combine(day, time(hour), tzinfo=zoneinfo.ZoneInfo(practice.timezone))


def render_digest(reminders, recipient):
    """(subject, text, html) of the daily digest: a line and a link per reminder."""
    first = reminders[0].practice
    language = recipient.language or first.default_language
    tz = recipient.timezone or first.timezone
    site = settings.SITE_URL.rstrip("/")
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(tz)):
        items = [
            {
                "line": str(get(row.kind).text(row)),
                "link": site + row.path,
                "practice_name": row.practice.name,
            }
            for row in reminders
        ]
    context = {
        "items": items,
        "count": len(items),
        "recipient_name": recipient.get_short_name(),
        "preferences_link": site + reverse("notification_preferences"),
    }
    return emails.render("digest", context, language=language, timezone_name=tz)
