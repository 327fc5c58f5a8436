import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from coaching.notifications.services import preference_for
from coaching.viewkit import practice_view, run_service

from . import channel, client, services
from .forms import ChannelChoiceForm, OptInForm, PracticeChannelForm
from .models import ChannelPreference, PracticeChannelDefault


def _current_choices(user):
    preference = preference_for(user)
    off = set(preference.email_off_kinds or [])
    mine = ChannelPreference.objects.filter(user=user).first()
    whatsapp = set(mine.whatsapp_kinds) if mine else set()
    choices = {}
    for name in ChannelChoiceForm().fields:
        if name in whatsapp:
            choices[name] = channel.WHATSAPP
        else:
            choices[name] = channel.IN_APP if name in off else channel.EMAIL
    return choices


def _page(request, *, opt_in_form=None, choice_form=None, status=200):
    opt_in = channel.opt_in_for(request.user)
    context = {
        "enabled": client.enabled(),
        "opt_in": opt_in,
        "opt_in_text": str(services.OPT_IN_TEXT) % {"phone": _("the number below")},
        "opt_in_form": opt_in_form or OptInForm(),
        "choice_form": choice_form or ChannelChoiceForm(current=_current_choices(request.user)),
    }
    return render(request, "whatsapp/channels.html", context, status=status)


@never_cache
@login_required
def channels(request):
    """The user's WhatsApp number and opt-in, and the channel of each kind of reminder."""
    if request.method == "POST":
        form = ChannelChoiceForm(request.POST, current=_current_choices(request.user))
        if form.is_valid() and run_service(
            request,
            lambda: services.channel_choice_update(
                user=request.user, choices={k: v for k, v in form.cleaned_data.items() if v}
            ),
            success=_("Reminder channels saved."),
            form=form,
        ):
            return redirect("whatsapp_channels")
        return _page(request, choice_form=form)
    return _page(request)


@require_POST
@never_cache
@login_required
def opt_in(request):
    form = OptInForm(request.POST)
    if form.is_valid() and run_service(
        request,
        lambda: services.opt_in_give(user=request.user, phone=form.cleaned_data["phone"]),
        success=_("You will get the reminders you choose on WhatsApp."),
        form=form,
        field="phone",
    ):
        return redirect("whatsapp_channels")
    return _page(request, opt_in_form=form)


@require_POST
@never_cache
@login_required
def opt_out(request):
    run_service(
        request,
        lambda: services.opt_in_withdraw(user=request.user),
        success=_("WhatsApp reminders are off; they come by email instead."),
    )
    return redirect("whatsapp_channels")


@practice_view(roles=["admin"])
def practice_channels(request, access):
    default = PracticeChannelDefault.objects.filter(practice=access.practice).first()
    form = PracticeChannelForm(
        request.POST or None,
        initial={"whatsapp_kinds": default.whatsapp_kinds if default else []},
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.practice_channel_default_update(
                access=access, whatsapp_kinds=form.cleaned_data["whatsapp_kinds"]
            ),
            success=_("Channel defaults saved."),
            form=form,
        )
        if done:
            return redirect("practice_whatsapp_channels", slug=access.practice.slug)
    return render(
        request,
        "whatsapp/practice_channels.html",
        {"form": form, "slug": access.practice.slug, "enabled": client.enabled()},
    )


@csrf_exempt  # Meta signs the body (X-Hub-Signature-256); it has no CSRF token
@require_http_methods(["GET", "POST"])
@never_cache
def webhook(request):
    """Meta's webhook: the GET verification handshake, and POSTed status updates whose
    signature must match. Without the channel's settings: 404. Refused: 403, nothing read."""
    if not client.enabled():
        raise Http404
    if request.method == "GET":
        token = settings.WHATSAPP_VERIFY_TOKEN
        if (
            token
            and request.GET.get("hub.mode") == "subscribe"
            and request.GET.get("hub.verify_token") == token
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden()
    body = request.body
    if not services.signature_valid(body, request.headers.get("X-Hub-Signature-256")):
        return HttpResponseForbidden()
    try:
        payload = json.loads(body)
    except ValueError:
        return HttpResponse(status=400)
    services.status_webhook_apply(payload)
    return HttpResponse("OK", content_type="text/plain")
