"""Pages of the messages between a program's client and its coach."""

import base64

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coaching.access import Role
from coaching.viewkit import practice_view, run_service
from ethics import access as gate

from . import selectors, services
from .forms import MessageForm

PARTIES = [Role.COACH, Role.CLIENT]
# The thread's pages take any member of the practice and let the gate answer: anybody but the
# program's coach and client (an admin, the sponsor, another coach) gets 404, so a thread's
# existence is not confirmed to them.


def _thread_url(program):
    return reverse("message_thread", args=[program.practice.slug, program.code])


@require_safe
@practice_view(roles=PARTIES)
def message_index(request, access):
    threads = selectors.threads_for(access, page_number=request.GET.get("page"))
    return render(request, "messaging/index.html", {"access": access, "threads": threads})


def _pk_param(request, name):
    try:
        return max(int(request.GET.get(name, "0")), 0)
    except ValueError:
        return 0


def _thread_page(request, access, program, form, status=200):
    before = _pk_param(request, "before") or None
    items = selectors.thread_messages(access, program, before=before)
    services.thread_mark_read(access=access, program=program)
    context = {
        "earlier": items[0].pk if len(items) == selectors.PAGE else None,
        "before": before,
        "program": program,
        "other": program.client if access.user.pk == program.coach_id else program.coach,
        "items": items,
        "last_pk": items[-1].pk if items else 0,
        "form": form,
        "is_coach": access.user.pk == program.coach_id,
        "edit_until": now() - services.EDIT_WINDOW,
        "poll_seconds": _poll_seconds(),
    }
    return render(request, "messaging/thread.html", context, status=status)


def _poll_seconds():
    """How often an open thread asks for new messages (settings.MESSAGES_POLL_SECONDS, 15)."""
    return getattr(settings, "MESSAGES_POLL_SECONDS", 15)


@require_safe
@practice_view()
def message_thread(request, access, code):
    program = gate.get_thread_program_for(access, code)
    return _thread_page(request, access, program, MessageForm())


@require_safe
@practice_view()
def message_poll(request, access, code):
    """htmx, every MESSAGES_POLL_SECONDS: the messages after ?after=<pk>, and the next poller."""
    program = gate.get_thread_program_for(access, code)
    after = _pk_param(request, "after")
    items = selectors.thread_messages(access, program, after=after)
    if items:
        services.thread_mark_read(access=access, program=program)
    context = {
        "program": program,
        "items": items,
        "last_pk": items[-1].pk if items else after,
        "is_coach": access.user.pk == program.coach_id,
        "edit_until": now() - services.EDIT_WINDOW,
        "poll_seconds": _poll_seconds(),
    }
    return render(request, "messaging/_poll.html", context)


@require_POST
@practice_view()
def message_send(request, access, code):
    program = gate.get_thread_program_for(access, code)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid() and run_service(
        request,
        lambda: services.message_send(
            access=access,
            program=program,
            body=form.cleaned_data["body"],
            attachment=form.cleaned_data.get("attachment"),
        ),
        form=form,
        field="body",
    ):
        return redirect(_thread_url(program))
    return _thread_page(request, access, program, form, status=400)


@require_safe
@practice_view()
def message_attachment(request, access, code):
    """The message's file, for the thread's coach and client (404 for anybody else); the read
    is in the client's access log. Sent as a download with the type found in its content."""
    attachment = gate.message_attachment_for(access, code)
    message = attachment.message
    response = HttpResponse(
        base64.b64decode(attachment.content), content_type=message.attachment_type
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=message.attachment_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@practice_view()
def message_edit(request, access, code):
    message = gate.get_message_for(access, code)
    form = MessageForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.message_edit(
                access=access, message=message, body=form.cleaned_data["body"]
            ),
            success=_("Message edited."),
        )
    else:
        run_service(request, lambda: _raise(form))
    return redirect(_thread_url(message.program))


def _raise(form):
    raise ValidationError([e for errors in form.errors.values() for e in errors])


@require_POST
@practice_view()
def message_delete(request, access, code):
    message = gate.get_message_for(access, code)
    run_service(
        request,
        lambda: services.message_delete(access=access, message=message),
        success=_("Message deleted for everyone."),
    )
    return redirect(_thread_url(message.program))


@require_POST
@practice_view()
def message_task(request, access, code):
    message = gate.get_message_for(access, code)
    run_service(
        request,
        lambda: services.message_to_task(access=access, message=message),
        success=_("Task added to the latest session."),
    )
    return redirect(_thread_url(message.program))
