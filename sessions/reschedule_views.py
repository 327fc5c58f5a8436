"""Reschedule requests: the client or coach asks (a page of its own), the practice answers."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.access import LOGISTICS, Role
from coaching.viewkit import practice_view, run_service
from programs.access import get_reschedule_request_for, get_session_for

from . import rescheduling
from .forms import RescheduleAnswerForm, RescheduleRequestForm
from .models import RescheduleRequest


def _back(access, session):
    if access.user.pk == session.coach_id:
        return ("coach_program", {"slug": access.practice.slug, "code": session.program.code})
    return ("client_coaching", {"slug": access.practice.slug})


@practice_view(roles=[Role.CLIENT, Role.COACH])
def session_move_request(request, access, code):
    session = get_session_for(access, code)
    form = RescheduleRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: rescheduling.reschedule_request_create(
                session=session,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                times=form.times(),
            ),
            success=_("Your request was sent to the practice."),
            form=form,
        )
        if done:
            name, kwargs = _back(access, session)
            return redirect(name, **kwargs)
    pending = session.reschedule_requests.filter(status=RescheduleRequest.Status.PENDING).first()
    return render(
        request,
        "coaching_sessions/move_request.html",
        {"access": access, "session": session, "form": form, "pending": pending},
    )


@practice_view(roles=LOGISTICS)
def reschedule_request_list(request, access):
    return render(
        request,
        "coaching_sessions/reschedule_requests.html",
        {
            "access": access,
            **rescheduling.reschedule_request_list(
                access=access,
                status=request.GET.get("status", ""),
                page_number=request.GET.get("page"),
            ),
        },
    )


@require_POST
@practice_view(roles=LOGISTICS)
def reschedule_request_accept(request, access, code):
    move = get_reschedule_request_for(access, code)
    form = RescheduleAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the proposed times."))
    else:
        run_service(
            request,
            lambda: rescheduling.reschedule_request_accept(
                request=move, actor=request.user, **form.cleaned_data
            ),
            success=_("The session was moved."),
        )
    return redirect("reschedule_request_list", slug=access.practice.slug)


@require_POST
@practice_view(roles=LOGISTICS)
def reschedule_request_refuse(request, access, code):
    move = get_reschedule_request_for(access, code)
    run_service(
        request,
        lambda: rescheduling.reschedule_request_refuse(request=move, actor=request.user),
        success=_("The request was refused; the session stays where it was."),
    )
    return redirect("reschedule_request_list", slug=access.practice.slug)
