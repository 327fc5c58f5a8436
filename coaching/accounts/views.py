from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coaching.access import (
    Role,
    invitation_for,
    member_user_for,
    members_of,
    request_practices,
)
from coaching.dashboards import has_main_panel, panels_for
from coaching.viewkit import practice_view, run_service

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    InvitationForm,
    MemberRolesForm,
    PracticeCreateForm,
    PracticeForm,
    ProfileForm,
)
from .reauth import (
    reauthentication_response,
    recent_authentication_required,
    recently_authenticated,
)

DASHBOARD_URL_NAMES = {
    Role.ADMIN: "dashboard_admin",
    Role.COACH: "dashboard_coach",
    Role.CLIENT: "dashboard_client",
    Role.SPONSOR: "dashboard_sponsor",
    Role.SCHEDULER: "dashboard_scheduler",
}


@never_cache
@login_required
def home(request):
    practices = request_practices(request)
    if len(practices) == 1:
        return redirect("practice_home", slug=practices[0].slug)
    return render(request, "accounts/home.html", {"practices": practices})


@never_cache
@login_required
def practice_create(request):
    form = PracticeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.practice_create(
                name=form.cleaned_data["name"],
                timezone_name=form.cleaned_data["timezone"],
                currency=form.cleaned_data["currency"],
                default_language=form.cleaned_data["default_language"],
                creator=request.user,
            ),
            success=_("Your practice is ready. Invite your coaches and clients."),
            form=form,
        )
        if done:
            return redirect("dashboard_admin", slug=done.value.slug)
    return render(request, "accounts/practice_create.html", {"form": form})


@practice_view()
def practice_home(request, access):
    return redirect(DASHBOARD_URL_NAMES[access.ordered_roles[0]], slug=access.practice.slug)


@practice_view()
def dashboard(request, access, role):
    access.require(role)  # the role comes from the URL pattern (one pattern per dashboard)
    panels = panels_for(access, role, request)
    return render(
        request,
        f"accounts/dashboard_{role}.html",
        {"access": access, "role": role, "panels": panels, "empty": not has_main_panel(panels)},
    )


@practice_view(roles=[Role.ADMIN])
def practice_settings(request, access):
    form = PracticeForm(request.POST or None, request.FILES or None, instance=access.practice)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Practice settings saved."))
        return redirect("practice_settings", slug=form.instance.slug)
    return render(request, "accounts/practice_settings.html", {"access": access, "form": form})


@practice_view(roles=[Role.ADMIN])
def member_list(request, access):
    # A NUL cannot reach PostgreSQL (DataError in LIKE); no name or address holds one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    role = request.GET.get("role", "")
    return render(
        request,
        "accounts/member_list.html",
        {
            "access": access,
            "people": selectors.member_list(
                access=access,
                query=query,
                role=role,
                page_number=request.GET.get("page"),
            ),
            "query": query,
            "role": role,
            "roles": Role.choices,
            "invitations": selectors.invitation_list(access=access),
        },
    )


@practice_view(roles=[Role.ADMIN])
def member_invite(request, access):
    form = InvitationForm(request.POST or None, initial={"role": request.GET.get("role")})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.invitation_create(
                practice=access.practice,
                invited_by=request.user,
                **form.cleaned_data,
            ),
            success=lambda invitation: (
                _("Invitation sent to %(email)s.") % {"email": invitation.email}
            ),
            form=form,
            field="email",
        )
        if done:
            return redirect("member_list", slug=access.practice.slug)
    return render(request, "accounts/member_invite.html", {"access": access, "form": form})


@practice_view(roles=[Role.ADMIN])
def member_detail(request, access, user_code):
    member = member_user_for(access, user_code)
    memberships = list(members_of(access, include_inactive=True).filter(user=member))
    active = [m for m in memberships if m.is_active]
    form = MemberRolesForm(
        request.POST or None,
        initial={
            "roles": [m.role for m in active],
            "organisation": next((m.organisation for m in memberships if m.organisation), ""),
        },
    )
    if request.method == "POST" and not recently_authenticated(request):
        return reauthentication_response(request)  # role changes need a recent sign-in
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.membership_set_roles(
                practice=access.practice,
                user=member,
                roles=form.cleaned_data["roles"],
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
            ),
            success=_("Roles saved."),
            form=form,
        )
        if done:
            return redirect("member_detail", slug=access.practice.slug, user_code=member.code)
    return render(
        request,
        "accounts/member_detail.html",
        {"access": access, "member": member, "memberships": memberships, "form": form},
    )


@require_POST
@practice_view(roles=[Role.ADMIN])
@recent_authentication_required
def member_deactivate(request, access, user_code):
    member = member_user_for(access, user_code)
    run_service(
        request,
        lambda: services.member_deactivate(
            practice=access.practice, user=member, actor=request.user
        ),
        success=_("%(name)s no longer has access.") % {"name": member.display_name},
    )
    return redirect("member_detail", slug=access.practice.slug, user_code=member.code)


@require_POST
@practice_view(roles=[Role.ADMIN])
def invitation_revoke(request, access, code):
    invitation = invitation_for(access, code)
    run_service(
        request,
        lambda: services.invitation_revoke(invitation=invitation, actor=request.user),
        success=_("Invitation withdrawn."),
    )
    return redirect("member_list", slug=access.practice.slug)


@never_cache
def invitation_accept(request, token):
    invitation = services.invitation_from_token(token)
    problem = services.invitation_problem(invitation)
    if problem:
        return render(request, "accounts/invitation_problem.html", {"problem": problem}, status=404)
    existing = selectors.user_with_email(invitation.email)
    context = {"invitation": invitation, "existing": existing}
    signed_in_as_someone_else = request.user.is_authenticated and request.user != existing
    if signed_in_as_someone_else:
        return render(request, "accounts/invitation_wrong_user.html", context, status=403)
    if existing is not None:
        if not request.user.is_authenticated:
            return render(request, "accounts/invitation_sign_in.html", context)
        if request.method == "POST":
            if not run_service(
                request,
                lambda: services.invitation_accept(invitation=invitation, user=request.user),
                success=_("Welcome to %(practice)s.") % {"practice": invitation.practice.name},
            ):
                return redirect("home")
            return redirect("practice_home", slug=invitation.practice.slug)
        return render(request, "accounts/invitation_join.html", context)

    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
                language=translation.get_language() or "",
            ),
            success=_("Welcome to %(practice)s.") % {"practice": invitation.practice.name},
            form=form,
        )
        if done:
            # Signed in at once; allauth still asks for the password before MFA changes.
            return perform_login(
                request,
                done.value,
                redirect_url=reverse("practice_home", args=[invitation.practice.slug]),
            )
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


@never_cache
@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["language"],
            timezone_name=form.cleaned_data["timezone"],
        )
        messages.success(request, _("Profile saved."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def set_language(request):
    """The navigation's language switcher: saved on the profile, and in a cookie for visitors."""

    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("That language is not available."))
        return response
    if request.user.is_authenticated:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response


def healthz(request):

    return HttpResponse("ok", content_type="text/plain")


def dashboard_url(slug, role):
    return reverse(DASHBOARD_URL_NAMES[role], kwargs={"slug": slug})
