"""The coach's profile in the practice: what a client reads about a candidate at chemistry."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coaching.access import Role
from coaching.viewkit import practice_view, run_service

from . import services
from .forms import CoachProfileForm
from .models import CoachProfile


@practice_view(roles=[Role.COACH])
def coach_profile_edit(request, access):
    instance = CoachProfile.objects.filter(practice=access.practice, coach=access.user).first()
    form = CoachProfileForm(
        request.POST or None,
        instance=instance or CoachProfile(practice=access.practice, coach=access.user),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.chemistry.PROFILE_FIELDS}
        done = run_service(
            request,
            lambda: services.coach_profile_save(
                practice=access.practice, actor=request.user, **fields
            ),
            success=_("Your profile is saved. Clients see it beside your name at chemistry."),
            form=form,
        )
        if done:
            return redirect("coach_profile_edit", slug=access.practice.slug)
    return render(request, "programs/coach_profile.html", {"access": access, "form": form})
