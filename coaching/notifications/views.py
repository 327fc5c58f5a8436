from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from coaching.access import LOGISTICS
from coaching.viewkit import practice_view, run_service
from sessions import calendar

from . import selectors, services
from .forms import PracticeDefaultForm, PreferenceForm
from .models import CalendarFeed, PracticeNotificationDefault, Reminder


@never_cache
@login_required
def inbox(request):
    items = selectors.notification_list(reader=request.user)
    return render(request, "notifications/inbox.html", {"items": items})


@require_POST
@never_cache
@login_required
def inbox_mark_read(request):
    raw = request.POST.get("id", "")
    # isdigit() alone accepts "²", which int() refuses; and an id fits in 18 digits.
    notification_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
    services.notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect("notification_inbox")


@never_cache
@login_required
def preferences(request):
    instance = services.preference_for(request.user)
    form = PreferenceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.preference_update(
                user=request.user,
                email_kinds=form.cleaned_data["email_kinds"],
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
                daily_digest=form.cleaned_data["daily_digest"],
            ),
            success=_("Notification preferences saved."),
            form=form,
        )
        if done:
            return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@never_cache
@login_required
def calendar_settings(request):
    has_feed = CalendarFeed.objects.filter(user=request.user).exists()
    return render(request, "notifications/calendar.html", {"has_feed": has_feed})


@require_POST
@never_cache
@login_required
def calendar_regenerate(request):
    token = services.calendar_feed_regenerate(user=request.user)
    feed_url = request.build_absolute_uri(f"/calendar/{token}.ics")
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return render(request, "notifications/calendar.html", {"has_feed": True, "feed_url": feed_url})


@require_POST
@never_cache
@login_required
def calendar_revoke(request):
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your calendar address no longer works."))
    return redirect("calendar_settings")


@require_safe
@never_cache
def calendar_feed(request, token):
    """The token is the credential (calendar apps cannot sign in); unknown or revoked: 404."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=services.hash_token(token), user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    body = calendar.cached_feed_for(feed.user, token_hash=feed.token_hash)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="coaching.ics"'
    return response


@practice_view(roles=LOGISTICS)
def practice_reminders(request, access):
    status = request.GET.get("status", "")
    counts, page = selectors.reminder_overview(
        access=access, status=status, page_number=request.GET.get("page")
    )
    return render(
        request,
        "notifications/practice_reminders.html",
        {
            "access": access,
            "slug": access.practice.slug,
            "counts": counts,
            "page": page,
            "status": status,
            "statuses": Reminder.Status.choices,
        },
    )


@practice_view(roles=["admin"])
def practice_defaults(request, access):
    instance = PracticeNotificationDefault.objects.filter(practice=access.practice).first()
    form = PracticeDefaultForm(
        request.POST or None,
        instance=instance or PracticeNotificationDefault(practice=access.practice),
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.practice_default_update(
                access=access,
                email_kinds=form.cleaned_data["email_kinds"],
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
                notes_retention_months=form.cleaned_data["notes_retention_months"],
            ),
            success=_("Notification defaults saved."),
            form=form,
        )
        if done:
            return redirect("practice_notification_defaults", slug=access.practice.slug)
    return render(
        request,
        "notifications/practice_defaults.html",
        {"form": form, "slug": access.practice.slug},
    )
