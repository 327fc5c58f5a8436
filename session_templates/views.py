"""Session templates (#17), the program's choice of one, and the session clock (#14)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.access import Role
from coaching.viewkit import practice_view, run_service
from ethics import access as gate
from sessions import selectors as session_selectors

from . import selectors, services
from .forms import ProgramTemplateForm, SessionTemplateForm
from .models import SessionTemplate, TemplatePart, plan_for_program


@practice_view(roles=[Role.COACH, Role.ADMIN])
def template_list(request, access):
    return render(
        request,
        "session_templates/template_list.html",
        {"access": access, "templates": selectors.template_list(access=access)},
    )


def _edit(request, access, template, parts):
    adding = template.pk is None
    for_practice = template.owner_id is None if access.is_admin and access.is_coach else None
    form = SessionTemplateForm(
        request.POST or None,
        template=None if adding else template,
        parts=parts,
        for_practice=for_practice if adding else None,
    )
    if request.method == "POST" and form.is_valid():
        for name, value in form.template_values().items():
            setattr(template, name, value)
        if adding and "for_practice" in form.cleaned_data:
            template.owner = None if form.cleaned_data["for_practice"] else request.user
        done = run_service(
            request,
            lambda: services.session_template_save(
                template=template, parts=form.parts(), actor=request.user, is_admin=access.is_admin
            ),
            success=_("The session template is saved."),
            form=form,
        )
        if done:
            return redirect("session_template_list", slug=access.practice.slug)
    return render(
        request,
        "session_templates/template_edit.html",
        {"access": access, "form": form, "template": template, "adding": adding},
    )


@practice_view(roles=[Role.COACH, Role.ADMIN])
def template_create(request, access):
    # A coach's template is theirs; an admin's (who is no coach) is the practice's.
    owner = request.user if access.is_coach else None
    template = SessionTemplate(practice=access.practice, owner=owner)
    return _edit(request, access, template, parts=[])


@practice_view(roles=[Role.COACH, Role.ADMIN])
def template_edit(request, access, code):
    template = selectors.get_template_for(access, code, write=True)
    return _edit(
        request, access, template, parts=list(TemplatePart.objects.filter(template=template))
    )


@require_POST
@practice_view(roles=[Role.COACH])
def program_template_choose(request, access, code):
    program = gate.coached_program_for(access, code)
    form = ProgramTemplateForm(request.POST, templates=selectors.templates_for(access))
    if form.is_valid():
        run_service(
            request,
            lambda: services.program_template_choose(
                program=program, template=form.chosen(), actor=request.user
            ),
            success=_("The program's sessions follow this template from now on."),
        )
    else:
        messages.error(request, _("Choose one of the templates in the list."))
    return redirect("coach_program", slug=access.practice.slug, code=code)


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


@require_POST
@practice_view(roles=[Role.COACH])
def session_clock(request, access, code, event):
    session = gate.get_session_for(access, code, write=True)
    if event not in services.CLOCK_EVENTS:
        raise Http404
    plan = plan_for_program(session.program)
    run_service(
        request,
        lambda: services.session_clock_mark(
            session=session, event=event, plan=plan, actor=request.user
        ),
    )
    if _is_htmx(request):
        context = {"access": access, "session": session, "plan": plan}
        context.update(session_selectors.clock_page(session=session))
        return render(request, "coaching_sessions/_clock.html", context)
    return redirect(reverse("session_run", args=[access.practice.slug, code]) + "#session-clock")
