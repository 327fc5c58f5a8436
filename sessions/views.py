"""Session pages: the coach prepares and runs a session; the client follows up.

Each part of the running session posts on its own. With htmx (HX-Request header) the answer
is the part's partial; without JavaScript it is a redirect back to the page (or, on a
validation error, the whole page with the input kept).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coaching.access import Role, practice_access_for
from ethics import access as gate
from ethics.models import ScopeBoundaryFlag

from . import selectors, services
from .forms import (
    ActionItemForm,
    CheckInForm,
    CheckOutForm,
    ConversationNoteForm,
    DoneForm,
    PreparationForm,
    RatingsForm,
)

# part name -> (context key of the instance, form class); the partial is _part_<name>.html
PARTS = {
    "check_in": ("check_in", CheckInForm),
    "note": ("note", ConversationNoteForm),
    "check_out": ("check_out", CheckOutForm),
}


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _run_context(access, session, bound=None):
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
    if bound:
        forms.update(bound)
    context.update(access=access, forms=forms, boundary_choices=ScopeBoundaryFlag.Territory.choices)
    return context


@never_cache
@login_required
def session_prepare(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    session = gate.get_session_for(access, code, write=True)
    context = selectors.preparation_page(access=access, session=session)
    form = PreparationForm(request.POST or None, instance=context["preparation"])
    if request.method == "POST" and form.is_valid():
        try:
            services.session_part_save(instance=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reflection is saved."))
            return redirect("session_prepare", slug=slug, code=code)
    context.update(access=access, form=form)
    return render(request, "coaching_sessions/prepare.html", context)


@never_cache
@login_required
def session_run(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    session = gate.get_session_for(access, code, write=True)
    return render(request, "coaching_sessions/run.html", _run_context(access, session))


def _part_response(request, access, session, part, form, error=None):
    if form is not None and error is not None:
        form.add_error(None, error)
    context = _run_context(access, session, bound={part: form} if form is not None else None)
    if _is_htmx(request):
        return render(request, f"coaching_sessions/_part_{part}.html", context)
    if form is not None and (error is not None or form.errors):
        return render(request, "coaching_sessions/run.html", context)
    return redirect(reverse("session_run", args=[access.practice.slug, session.code]) + f"#{part}")


@require_POST
@never_cache
@login_required
def session_part_save(request, slug, code, part):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    session = gate.get_session_for(access, code, write=True)
    error = None
    if part in PARTS:
        _, form_class = PARTS[part]
        instance = gate.part_for_writing(access, session, form_class._meta.model)
        form = form_class(request.POST, instance=instance)
        if form.is_valid():
            try:
                services.session_part_save(instance=form.save(commit=False), actor=request.user)
            except ValidationError as exc:
                error = exc
            else:
                form = None
    elif part == "task":
        form = ActionItemForm(
            request.POST, prefix="task", instance=gate.new_action_item_for(access, session)
        )
        if form.is_valid():
            try:
                services.session_part_save(instance=form.save(commit=False), actor=request.user)
            except ValidationError as exc:
                error = exc
            else:
                form = None
    elif part == "ratings":
        context = selectors.run_page(access=access, session=session)
        form = RatingsForm(request.POST, objectives=context["objectives"], ratings={})
        if form.is_valid():
            try:
                services.ratings_save(session=session, scores=form.scores(), actor=request.user)
                services.ratings_scope_set(
                    session=session,
                    scope=form.cleaned_data.get("scope") or context["ratings_scope"],
                    actor=request.user,
                )
            except ValidationError as exc:
                error = exc
            else:
                form = None
    else:
        raise Http404
    return _part_response(request, access, session, part, form, error)


@require_POST
@login_required
def session_mark_held(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    session = gate.get_session_for(access, code, write=True)
    try:
        services.session_mark_held(session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session is marked held."))
    return redirect("session_run", slug=slug, code=code)


@never_cache
@login_required
def client_coaching(request, slug):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    programs = selectors.client_overview(access=access)
    return render(
        request,
        "coaching_sessions/client_coaching.html",
        {"access": access, "programs": programs, "done_form": DoneForm()},
    )


@require_POST
@login_required
def action_item_done(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.CLIENT, Role.COACH])
    item = gate.get_action_item_for(access, code, write=True)
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            services.action_item_complete(
                item=item, comment=form.cleaned_data["comment"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Task marked done."))
    else:
        messages.error(request, _("The comment is too long."))
    if item.assignee == item.Assignee.CLIENT:
        return redirect("client_coaching", slug=slug)
    return redirect("coach_program", slug=slug, code=item.session.program.code)


@never_cache
@login_required
def coach_program(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    program = gate.coached_program_for(access, code)
    context = selectors.coach_program_page(access=access, program=program)
    context.update(access=access, done_form=DoneForm())
    return render(request, "coaching_sessions/coach_program.html", context)
