"""Session pages: the coach prepares and runs a session; the client follows up.

Each part of the running session posts on its own. With htmx (HX-Request header) the answer
is the part's partial; without JavaScript it is a redirect back to the page (or, on a
validation error, the whole page with the input kept).
"""

import unicodedata
from uuid import UUID

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime, now
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.access import Role
from coaching.accounts.reauth import reauthentication_response, recently_authenticated
from coaching.templatetags.rowurls import PLACEHOLDER, row_url
from coaching.viewkit import first_submission, practice_view, release_submission, run_service
from coaching.vocabulary import widens
from ethics import access as gate
from ethics.models import ScopeBoundaryFlag
from session_templates import selectors as template_selectors

from . import calendar, selectors, services
from .forms import (
    ActionItemForm,
    CheckInForm,
    CheckOutForm,
    ConversationNoteForm,
    DoneForm,
    ExtraPartForm,
    PreparationForm,
    RatingsForm,
)
from .models import Session
from .templatetags.session_summaries import summary_tasks

# part name -> (context key of the instance, form class); the partial is _part_<name>.html
PARTS = {
    "check_in": ("check_in", CheckInForm),
    "note": ("note", ConversationNoteForm),
    "check_out": ("check_out", CheckOutForm),
}


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _is_autosave(request):
    """static/js/session.js marks the requests a change (not the Save button) sent."""
    return _is_htmx(request) and request.headers.get("X-Autosave") == "1"


def _run_context(access, session, bound=None, saved=None):
    context = selectors.run_page(access=access, session=session)
    forms = {name: form_class(instance=context[key]) for name, (key, form_class) in PARTS.items()}
    forms["task"] = ActionItemForm(
        prefix="task", instance=gate.new_action_item_for(access, session)
    )
    forms["ratings"] = RatingsForm(
        objectives=context["objectives"],
        ratings=context["ratings"],
        scope=context["ratings_scope"],
    )
    for key, note in context["extra_notes"].items():
        forms[key] = ExtraPartForm(instance=note, prefix=key)
    if bound:
        forms.update(bound)
    for part in context["plan"].extras:
        part.form = forms[part.key]  # the page reads each extra part's form from its part
    context.update(
        # The task lists, as _task_list.html writes them (#11: in Python, the same text).
        tasks_html=task_list(context["tasks"]),
        previous_tasks_html=task_list(context["previous_tasks"]),
        open_tasks_html=task_list(context["open_tasks"]),
        access=access,
        forms=forms,
        boundary_choices=ScopeBoundaryFlag.Territory.choices,
        saved=saved,
        saved_at=now() if saved else None,
    )
    return context


@practice_view(roles=[Role.COACH])
def session_prepare(request, access, code):
    session = selectors.session_for_preparation(access, code)
    context = selectors.preparation_page(access=access, session=session)
    form = PreparationForm(request.POST or None, instance=context["preparation"])
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.session_part_save(
                instance=form.save(commit=False), actor=request.user
            ),
            success=_("Your reflection is saved."),
            form=form,
        )
        if done:
            return redirect("session_prepare", slug=access.practice.slug, code=code)
    context.update(access=access, form=form)
    return render(request, "coaching_sessions/prepare.html", context)


@practice_view(roles=[Role.COACH])
def session_run(request, access, code):
    session = selectors.session_for_run(access, code)
    return render(request, "coaching_sessions/run.html", _run_context(access, session))


def _part_response(request, access, session, part, form):
    """form is None once saved; else it is re-rendered with its errors (the service's too).

    A save the coach's typing sent (autosave) answers with the part's "saved" mark only, so
    text typed meanwhile in the part is not replaced; a refused one with the whole part, its
    errors beside the input as typed."""
    saved = part if form is None else None
    if _is_autosave(request) and saved:
        response = render(
            request,
            "coaching_sessions/_saved_state.html",
            {"part": part, "saved": saved, "saved_at": now()},
        )
        response["HX-Retarget"] = f"#saved-{part}"
        response["HX-Reswap"] = "outerHTML"
        return response
    context = _run_context(
        access, session, bound={part: form} if form is not None else None, saved=saved
    )
    if _is_htmx(request):
        if part.startswith("extra-"):
            context["plan_part"] = context["plan_parts"][part]
            return render(request, "coaching_sessions/_part_extra.html", context)
        return render(request, f"coaching_sessions/_part_{part}.html", context)
    if form is not None and form.errors:
        return render(request, "coaching_sessions/run.html", context)
    return redirect(reverse("session_run", args=[access.practice.slug, session.code]) + f"#{part}")


@require_POST
@practice_view(roles=[Role.COACH])
def session_part_save(request, access, code, part):
    session = gate.get_session_for(access, code, write=True)
    if part in PARTS or part == "task":
        if part == "task":
            form = ActionItemForm(
                request.POST, prefix="task", instance=gate.new_action_item_for(access, session)
            )
        else:
            form_class = PARTS[part][1]
            instance = gate.part_for_writing(access, session, form_class._meta.model)
            form = form_class(request.POST, instance=instance)

        scope_before = form.instance.scope  # read before validation writes the new one

        def save():
            services.session_part_save(instance=form.save(commit=False), actor=request.user)

    elif part == "ratings":
        context = selectors.run_page(access=access, session=session)
        form = RatingsForm(request.POST, objectives=context["objectives"], ratings={})
        scope_before = context["ratings_scope"]

        def save():
            services.ratings_save(session=session, scores=form.scores(), actor=request.user)
            services.ratings_scope_set(
                session=session,
                scope=form.cleaned_data.get("scope") or context["ratings_scope"],
                actor=request.user,
            )
    elif part.startswith("extra-"):
        plan_part = selectors.plan_for(session).by_key(part)
        if plan_part is None:
            raise Http404  # not a part of this program's template
        instance = gate.extra_note_for_writing(
            access, session, position=plan_part.position, title=plan_part.title
        )
        form = ExtraPartForm(request.POST, instance=instance, prefix=part)
        scope_before = form.instance.scope  # read before validation writes the new one

        def save():
            services.session_part_save(instance=form.save(commit=False), actor=request.user)

    else:
        raise Http404
    if form.is_valid():
        if widens(scope_before, form.cleaned_data.get("scope")) and not recently_authenticated(
            request
        ):
            # Sharing more widely than before needs a recent sign-in (#12); allauth's page
            # asks for it and then replays this POST.
            return reauthentication_response(request)
        if part == "task" and not first_submission(request, form):
            form = None  # a double click or a resent page: the first request added the task
        elif run_service(request, save, form=form):
            form = None
        elif part == "task":
            release_submission(request, form)
    return _part_response(request, access, session, part, form)


@require_POST
@practice_view(roles=[Role.COACH])
def session_mark_held(request, access, code):
    session = gate.get_session_for(access, code, write=True)
    run_service(
        request,
        lambda: services.session_mark_held(session=session, actor=request.user),
        success=_("The session is marked held."),
    )
    return redirect("session_run", slug=access.practice.slug, code=code)


@practice_view(roles=[Role.CLIENT])
def client_coaching(request, access):
    programs = selectors.client_overview(access=access, request=request)
    return render(
        request,
        "coaching_sessions/client_coaching.html",
        {"access": access, "programs": programs, "done_form": DoneForm()},
    )


@require_POST
@practice_view(roles=[Role.CLIENT, Role.COACH])
def action_item_done(request, access, code):
    item = gate.get_action_item_for(access, code, write=True)
    form = DoneForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.action_item_complete(
                item=item, comment=form.cleaned_data["comment"], actor=request.user
            ),
            success=_("Task marked done."),
        )
    else:
        messages.error(request, _("The comment is too long."))
    # Back to the page the task was done from (a dashboard), if it is one of this site's.
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    if item.assignee == item.Assignee.CLIENT:
        return redirect("client_coaching", slug=access.practice.slug)
    return redirect("coach_program", slug=access.practice.slug, code=item.session.program.code)


def task_list(tasks):
    """coaching_sessions/_task_list.html's text for these tasks: {% summary_tasks %}'s
    (sessions/templatetags/session_summaries.py, which writes the same list in Python, #11)
    and the template's line end. tests/sessions/test_task_list.py compares it with the
    template."""
    return mark_safe(summary_tasks(tasks) + "\n")  # noqa: S308 # the tag escaped every value


# A code to reverse a row's URL with once (row_url's placeholder).
_CODE = UUID(PLACEHOLDER)


def timeline_rows(access, timeline):
    """The coach's program page's session rows, as its template's loop wrote them (the same
    text, values escaped as the template escapes them): #11, the loop's eighteen variables,
    filters and tags per row were a fifth of the page. tests/sessions/test_coach_program_rows.py
    compares it with that loop."""
    e = conditional_escape
    slug = access.practice.slug
    t_prepare, t_open, t_move = _("Prepare"), _("Open"), _("Ask to move")
    # Per page, not per row (#11, g-sess7; the same text): each link's URL around the
    # session's code (row_url's halves), and the month abbreviations of date_format's "M".
    urls = {
        name: e(row_url(name, slug, _CODE)).split(str(_CODE))
        for name in ("session_prepare", "session_run", "session_move_request")
    }
    months = {}
    rows = []
    for row in timeline:
        session, note, clock = row["session"], row["note"], row["clock"]
        goal = row["check_in"].goal if row["check_in"] is not None else ""
        theme = ""
        if note:
            theme = (
                f'<span class="badge text-bg-warning">{e(row["on_theme"])}</span>'
                if note.drifted
                else e(row["on_theme"])
            )
        lengths = (
            f"{e(clock.check_in_length or '–')} / {e(clock.check_out_length or '–')}"
            if clock
            else ""
        )
        links = ""
        code = session.code  # a UUID: nothing to escape
        if session.status in (Session.Status.SCHEDULED, Session.Status.HELD):
            prepare, run = urls["session_prepare"], urls["session_run"]
            links = (
                f'<a href="{prepare[0]}{code}{prepare[1]}">{e(t_prepare)}</a>'
                f' · <a href="{run[0]}{code}{run[1]}">{e(t_open)}</a>'
            )
        if session.status == Session.Status.SCHEDULED:
            move = urls["session_move_request"]
            links += f' · <a href="{move[0]}{code}{move[1]}">{e(t_move)}</a>'
        # date_format(localtime(starts_at), "j M Y H:i"), the same text.
        local = localtime(session.starts_at)
        if local.month not in months:
            months[local.month] = date_format(local, "M")
        starts = f"{local.day} {months[local.month]} {local.year:04d} {local:%H:%M}"
        goal = goal or ""
        # Truncator(goal).chars(60) returns a text of at most 60 characters as it is, once in
        # Unicode's NFC form.
        short = len(goal) <= 60 and unicodedata.is_normalized("NFC", goal)
        shown = goal if short else Truncator(goal).chars(60)
        rows.append(
            f"<tr>\n      <td>{e(session.number)}</td><td>{e(starts)}</td>"
            f"<td>{e(row['status'])}</td>\n"
            f"      <td>{e(shown)}</td>\n"
            f"      <td>{theme}</td>\n"
            f'      <td class="text-nowrap small" data-testid="clock-lengths">{lengths}</td>\n'
            f"      <td>{links}</td>\n    </tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 # every value is escaped above


@practice_view(roles=[Role.COACH])
def coach_program(request, access, code):
    # The page shows none of the program's content (theme, aims...): not decrypted (#11).
    program = gate.coached_program_for(access, code, with_content=False)
    context = selectors.coach_program_page(access=access, program=program)
    templates = list(template_selectors.templates_for_program(access, program))
    chosen = next((t.pk for t in templates if t.is_chosen), None)
    context.update(
        access=access,
        timeline_rows=timeline_rows(access, context["timeline"]),
        client_tasks_html=task_list(context["client_tasks"]),
        session_templates=templates,
        chosen_template_id=chosen,
    )
    return render(request, "coaching_sessions/coach_program.html", context)


@practice_view(roles=[Role.CLIENT, Role.COACH])
def session_calendar_file(request, access, code):
    """The session as an .ics file to add to a calendar (date, place or link, the other
    party's name; no content), for the session's own client or coach."""
    session = (
        gate.sessions_for(access)
        .filter(Q(client=request.user) | Q(coach=request.user))
        .filter(code=code)
        .first()
    )
    if session is None:
        raise Http404
    data = calendar.session_ics(session, for_user=request.user, method="PUBLISH")
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="session.ics"'
    return response
