"""The session summaries of the client's sessions page, written here as the template's lines
wrote them: the same text, escaped as the template escapes it (#11: the lines' lookups, filters
and {% translate %} tags were about 1,900 Python calls per session summary, the costliest part
of the page's template).

{% summary_parts summary %}: what the summary shows of the session's parts (the coach's
preparation, the check-in, the notes, the template's extra parts, the check-out), a paragraph
per filled field. {% summary_tasks summary.tasks %}: the session's tasks, as
coaching_sessions/_task_list.html lists them."""

from functools import lru_cache
from html import escape

from django import template
from django.template.defaultfilters import date
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

register = template.Library()

# (the summary's part, its field, its label), in the page's order; the extra parts between.
BEFORE_EXTRAS = [
    ("preparation", "reflection", N_("The coach's preparation")),
    ("check_in", "since_last_time", N_("Since last time")),
    ("check_in", "goal", N_("Goal")),
    ("check_in", "agenda", N_("Agenda")),
    ("note", "text", N_("Notes")),
]
AFTER_EXTRAS = [
    ("check_out", "confirmations", N_("Confirmations")),
    ("check_out", "aha_moments", N_("Aha moments")),
    ("check_out", "insights", N_("New insights")),
    ("check_out", "take_aways", N_("Take-aways")),
    ("check_out", "new_behaviours", N_("New behaviours to practise")),
]
TASK_WORDS = [N_("due"), N_("done"), N_("open"), N_("No tasks."), N_("Client"), N_("Coach")]
# The goal is one line: shown as it is, not with <br> for its line breaks.
ONE_LINE = {("check_in", "goal")}
# Between the template's lines: its line break and the next line's indent.
BETWEEN = "\n      "


@lru_cache(maxsize=16)
def _words(language):
    """The labels in the active language, translated once per language (the template's
    {% translate %} labels were shown as translated, not escaped)."""
    msgids = [label for _part, _field, label in BEFORE_EXTRAS + AFTER_EXTRAS] + TASK_WORDS
    return {msgid: _(msgid) for msgid in msgids}


def _escaped(value):
    """{{ value }}: Django's conditional_escape."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _with_breaks(value):
    """{{ value|linebreaksbr }}: line breaks normalised, escaped, each break a <br>."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if not isinstance(value, SafeData):
        text = escape(text)
    return text.replace("\n", "<br>")


def _paragraph(label, text, extra=""):
    return f'<p class="mb-1"><strong>{label}:</strong> {text}{extra}</p>'


def _line(words, summary, part_name, field, label):
    part = summary.get(part_name)
    value = getattr(part, field, "") if part is not None else ""
    if not value:
        return ""
    text = _escaped(value) if (part_name, field) in ONE_LINE else _with_breaks(value)
    drift = ""
    if part_name == "note" and part.drift_text:
        drift = f" {_escaped(part.drift_text)}"
    return _paragraph(words[label], text, drift)


@register.simple_tag
def summary_parts(summary):
    words = _words(get_language())
    lines = [_line(words, summary, *entry) for entry in BEFORE_EXTRAS]
    lines.append(
        "".join(
            _paragraph(_escaped(extra.title), _with_breaks(extra.text))
            for extra in summary.get("extras", [])
            if extra.text
        )
    )
    lines.extend(_line(words, summary, *entry) for entry in AFTER_EXTRAS)
    return mark_safe(BETWEEN.join(lines))  # noqa: S308  # each value escaped above


@register.simple_tag
def summary_tasks(tasks):
    words = _words(get_language())
    if not tasks:
        return mark_safe(f'<p class="text-muted">{words["No tasks."]}</p>')  # noqa: S308
    rows = []
    for task in tasks:
        who = words["Client"] if task.assignee == "client" else words["Coach"]
        due = ""
        if task.due_on:
            day = _escaped(date(task.due_on, "j M Y"))
            due = f'<small class="text-muted">· {words["due"]} {day}</small>'
        if task.done_at:
            state = f'<span class="badge text-bg-success">{words["done"]}</span>'
            if task.done_comment:
                state += f" <small>“{_escaped(task.done_comment)}”</small>"
        else:
            state = f'<span class="badge text-bg-warning">{words["open"]}</span>'
        rows.append(
            f'<li class="list-group-item">\n'
            f'    <span class="badge text-bg-light">{who}</span> {_escaped(task.text)}\n'
            f"    {due}\n"
            f"    {state}\n"
            f"  </li>"
        )
    return mark_safe(  # noqa: S308  # each value escaped above
        '<ul class="list-group mb-3">\n  ' + "".join(rows) + "\n</ul>"
    )
