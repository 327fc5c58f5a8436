"""{% open_tasks_client open_tasks next %}: the client's open tasks, each with its "mark done"
form, as coaching_sessions/_open_tasks_client.html listed them before #11 (kept as
tests/sessions/open_tasks_client_before_11.html): the same text, escaped as the template
escaped it. Per task, its lookups, date filter, {% csrf_token %} and {% row_url %} were about
480 Python calls, on the client's dashboard and sessions page."""

from functools import lru_cache
from html import escape

from django import template
from django.template.defaultfilters import date
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from coaching.templatetags.rowurls import row_url

register = template.Library()

WORDS = [N_("due"), N_("Comment (optional)"), N_("Mark done"), N_("No open tasks.")]


@lru_cache(maxsize=16)
def _words(language):
    """The words in the active language, translated once per language ({% translate %} shows
    them as translated, not escaped)."""
    return {msgid: _(msgid) for msgid in WORDS}


def _escaped(value):
    """{{ value }}: Django's conditional_escape."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


@register.simple_tag(takes_context=True)
def open_tasks_client(context, open_tasks, next=""):  # noqa: A002  # the template's name
    words = _words(get_language())
    if not open_tasks:
        return mark_safe(f'<p class="text-muted mb-0">{words["No open tasks."]}</p>')  # noqa: S308
    # {% csrf_token %}: one token for the page.
    token = context.get("csrf_token")
    csrf = ""
    if token and token != "NOTPROVIDED":  # noqa: S105  # Django's marker, not a secret
        csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_escaped(token)}">'
    back = f'<input type="hidden" name="next" value="{_escaped(next)}">' if next else ""
    slug = context["access"].practice.slug
    comment = words["Comment (optional)"]
    rows = []
    for task in open_tasks:
        due = ""
        if task.due_on:
            day = _escaped(date(task.due_on, "j F Y"))
            due = f' <small class="text-muted">· {words["due"]} {day}</small>'
        action = _escaped(row_url("action_item_done", slug, task.code))
        rows.append(
            '<li class="list-group-item">\n'
            f'    <div class="text-break">{_escaped(task.text)}{due}</div>\n'
            f'    <form class="row g-2 mt-1" method="post" action="{action}">{csrf}{back}\n'
            '      <div class="col-12 col-sm-8"><input class="form-control form-control-sm" '
            'type="text" name="comment" maxlength="500" '
            f'placeholder="{comment}" aria-label="{comment}"></div>\n'
            '      <div class="col-12 col-sm-4"><button class="btn btn-sm btn-success w-100" '
            f'type="submit">{words["Mark done"]}</button></div>\n'
            "    </form>\n"
            "  </li>"
        )
    return mark_safe(  # noqa: S308  # each value escaped above
        '<ul class="list-group task-list">\n  ' + "".join(rows) + "\n</ul>"
    )
