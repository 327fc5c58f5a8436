"""The coach's supervision and mentor-coaching log, and the ICF credential tracker (#17)."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.access import Role
from coaching.viewkit import first_submission, practice_view, release_submission, run_service
from ethics.icf import icf_hours_rows

from . import selectors, services
from .credentials import credential_progress
from .forms import SupervisionEntryForm

# An ICF credential is renewed every three years; CCE counts over that period.
RENEWAL_PERIOD = timedelta(days=3 * 365)


@practice_view(roles=[Role.COACH])
def supervision_list(request, access):
    form = SupervisionEntryForm(request.POST or None, initial={"date": now().date()})
    if request.method == "POST" and form.is_valid():
        if not first_submission(request, form):
            return redirect("supervision_list", slug=access.practice.slug)
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission"}
        done = run_service(
            request,
            lambda: services.supervision_entry_create(access=access, **data),
            success=_("Added to your supervision log."),
            form=form,
        )
        if done:
            return redirect("supervision_list", slug=access.practice.slug)
        release_submission(request, form)
    return render(
        request,
        "supervision/supervision_list.html",
        {
            "access": access,
            "form": form,
            "entries": selectors.supervision_page(
                access=access, page_number=request.GET.get("page")
            ),
            "totals": selectors.supervision_totals(access=access),
            "recent_totals": selectors.supervision_totals(
                access=access, since=now().date() - RENEWAL_PERIOD
            ),
        },
    )


@require_POST
@practice_view(roles=[Role.COACH])
def supervision_delete(request, access, code):
    entry = selectors.supervision_entry_for(access, code)
    if run_service(
        request, lambda: services.supervision_entry_delete(entry=entry, actor=request.user)
    ):
        messages.success(request, _("Removed from your supervision log."))
    return redirect("supervision_list", slug=access.practice.slug)


@practice_view(roles=[Role.COACH])
def credential_tracker(request, access):
    totals, progress = credential_progress(icf_hours_rows(access=access))
    return render(
        request,
        "supervision/credentials.html",
        {"access": access, "totals": totals, "progress": progress},
    )
