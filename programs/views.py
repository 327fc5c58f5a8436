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

from . import selectors, services
from .access import (
    get_contract_for,
    get_meeting_for,
    get_objective_for,
    get_program_for,
    get_proposal_for,
    get_session_for,
)
from .forms import (
    ChemistryForm,
    ContractStartForm,
    ContractTermsForm,
    GraduateForm,
    ObjectiveForm,
    OutcomeForm,
    ProposalForm,
    ProposalTermsForm,
    ReasonForm,
    RescheduleForm,
    ReviewForm,
    ScheduleForm,
    ThemeForm,
)

PARTIES = [Role.ADMIN, Role.CLIENT, Role.SPONSOR]


def _error_text(error):
    return " ".join(error.messages)


@login_required
@never_cache
def proposal_list(request, slug):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    return render(
        request,
        "programs/proposal_list.html",
        {"access": access, **selectors.pipeline(access=access)},
    )


@login_required
def proposal_create(request, slug):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    form = ProposalForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                practice=access.practice, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Proposal saved as a draft."))
            return redirect("proposal_detail", slug=slug, code=proposal.code)
    return render(request, "programs/proposal_form.html", {"access": access, "form": form})


@login_required
def proposal_edit(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    proposal = get_proposal_for(access, code)
    form = ProposalTermsForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        terms = {f: form.cleaned_data[f] for f in ProposalTermsForm.Meta.fields}
        try:
            services.proposal_update(
                proposal=get_proposal_for(access, code), actor=request.user, **terms
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Proposal saved."))
            return redirect("proposal_detail", slug=slug, code=proposal.code)
    return render(
        request,
        "programs/proposal_form.html",
        {"access": access, "form": form, "editing": True},
    )


@login_required
@never_cache
def proposal_detail(request, slug, code):
    access = practice_access_for(request, slug, roles=PARTIES)
    proposal = get_proposal_for(access, code)
    return render(
        request,
        "programs/proposal_detail.html",
        {
            "access": access,
            "proposal": proposal,
            "party": services.proposal_party_of(proposal, request.user),
            "events": proposal.events.select_related("actor"),
            "contract": getattr(proposal, "contract", None) if access.is_admin else None,
            "start_form": ContractStartForm(),
        },
    )


def _proposal_action(request, slug, code, action, roles):
    access = practice_access_for(request, slug, roles=roles)
    proposal = get_proposal_for(access, code)
    try:
        action(proposal)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("proposal_detail", slug=slug, code=proposal.code)


@require_POST
@login_required
def proposal_send(request, slug, code):
    def send(proposal):
        services.proposal_send(proposal=proposal, actor=request.user)
        messages.success(request, _("Proposal sent."))

    return _proposal_action(request, slug, code, send, [Role.ADMIN])


@require_POST
@login_required
def proposal_withdraw(request, slug, code):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def withdraw(proposal):
        services.proposal_withdraw(proposal=proposal, actor=request.user, reason=reason)
        messages.success(request, _("Proposal withdrawn."))

    return _proposal_action(request, slug, code, withdraw, [Role.ADMIN])


@require_POST
@login_required
def proposal_respond(request, slug, code):
    accept = request.POST.get("decision") == "accept"
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def respond(proposal):
        services.proposal_respond(
            proposal=proposal, actor=request.user, accept=accept, reason=reason
        )
        messages.success(
            request, _("Thank you: you accepted.") if accept else _("You declined the proposal.")
        )

    return _proposal_action(request, slug, code, respond, [Role.CLIENT, Role.SPONSOR])


@require_POST
@login_required
def contract_create(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    proposal = get_proposal_for(access, code)
    form = ContractStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the contract starts."))
        return redirect("proposal_detail", slug=slug, code=proposal.code)
    try:
        contract = services.contract_create(
            proposal=proposal, actor=request.user, starts_on=form.cleaned_data["starts_on"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("proposal_detail", slug=slug, code=proposal.code)
    messages.success(request, _("Contract drafted from the proposal. Check the terms."))
    return redirect("contract_edit", slug=slug, code=contract.code)


@login_required
@never_cache
def contract_detail(request, slug, code):
    access = practice_access_for(request, slug, roles=PARTIES)
    contract = get_contract_for(access, code)
    return render(
        request,
        "programs/contract_detail.html",
        {"access": access, **selectors.contract_page(contract=contract, reader=request.user)},
    )


@login_required
def contract_edit(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    contract = get_contract_for(access, code)
    current = contract.current_version
    form = ContractTermsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        terms = {f: form.cleaned_data[f] for f in services.TERM_FIELDS}
        # The form edited `current` in memory; reload it so a refusal changes nothing.
        contract = get_contract_for(access, code)
        try:
            services.contract_change_terms(
                contract=contract,
                actor=request.user,
                reason=form.cleaned_data.get("change_reason", ""),
                **terms,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contract terms saved."))
            return redirect("contract_detail", slug=slug, code=contract.code)
    return render(
        request,
        "programs/contract_form.html",
        {"access": access, "contract": contract, "version": current, "form": form},
    )


@require_POST
@login_required
def contract_send(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    contract = get_contract_for(access, code)
    try:
        services.contract_send(contract=contract, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Contract sent for acceptance."))
    return redirect("contract_detail", slug=slug, code=contract.code)


@require_POST
@login_required
def contract_accept(request, slug, code):
    access = practice_access_for(request, slug, roles=PARTIES)
    contract = get_contract_for(access, code)
    try:
        version_number = int(request.POST.get("version", ""))
    except ValueError:
        version_number = 0
    try:
        services.contract_accept(
            contract=contract,
            version_number=version_number,
            party=request.POST.get("party", ""),
            actor=request.user,
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("You accepted the contract."))
    return redirect("contract_detail", slug=slug, code=contract.code)


# Chemistry ----------------------------------------------------------------------------------


@login_required
def chemistry_propose(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    contract = get_contract_for(access, code)
    form = ChemistryForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            services.chemistry_propose(contract=contract, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Chemistry meeting scheduled."))
            return redirect("contract_detail", slug=slug, code=contract.code)
    return render(
        request,
        "programs/chemistry_form.html",
        {"access": access, "contract": contract, "form": form},
    )


def _back(request, fallback):
    # Return to the page the form was on (only a local path), else the fallback.
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else fallback)


@require_POST
@login_required
def chemistry_outcome(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.CLIENT, Role.COACH])
    meeting = get_meeting_for(access, code)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the rapport (1-5) and whether you are compatible."))
    else:
        try:
            services.chemistry_record_outcome(
                meeting=meeting, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Thank you, the outcome is recorded."))
    return _back(request, reverse("practice_home", kwargs={"slug": slug}))


@require_POST
@login_required
def chemistry_choose(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    meeting = get_meeting_for(access, code)
    try:
        program = services.chemistry_choose(meeting=meeting, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("contract_detail", slug=slug, code=meeting.contract.code)
    messages.success(request, _("Your coach is chosen. Your program has started."))
    return redirect("program_detail", slug=slug, code=program.code)


@require_POST
@login_required
def chemistry_ask_another(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    contract = get_contract_for(access, code)
    try:
        services.chemistry_ask_another(
            contract=contract, actor=request.user, reason=request.POST.get("reason", "")[:300]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The practice will propose another coach."))
    return redirect("contract_detail", slug=slug, code=contract.code)


# Program ------------------------------------------------------------------------------------

EVERYONE = [Role.ADMIN, Role.COACH, Role.CLIENT, Role.SPONSOR]


@login_required
@never_cache
def program_detail(request, slug, code):
    access = practice_access_for(request, slug, roles=EVERYONE)
    program = get_program_for(access, code)
    return render(
        request,
        "programs/program_detail.html",
        {"access": access, **selectors.program_page(program=program, access=access)},
    )


@login_required
def program_edit(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    # The program's coach only (the form shows its theme and states of being); 404 otherwise.
    program = gate.coached_program_for(access, code)
    form = ThemeForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in ThemeForm.Meta.fields}
        program = gate.coached_program_for(access, code)  # the form changed the instance
        try:
            services.program_update_theme(
                program=program, actor=request.user, reason=form.cleaned_data["reason"], **fields
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("program_detail", slug=slug, code=program.code)
    return render(
        request, "programs/program_edit.html", {"access": access, "program": program, "form": form}
    )


@require_POST
@login_required
def objective_add(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    program = get_program_for(access, code)
    form = ObjectiveForm(request.POST)
    if form.is_valid():
        try:
            services.objective_add(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Objective added."))
    else:
        messages.error(request, _("Write the objective."))
    return redirect("program_detail", slug=slug, code=program.code)


@require_POST
@login_required
def objective_review(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    objective = get_objective_for(access, code)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.objective_review(objective=objective, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Review saved."))
    else:
        messages.error(request, _("Choose a result."))
    return redirect("program_graduate", slug=slug, code=objective.program.code)


@login_required
def program_schedule(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    program = get_program_for(access, code)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.sessions_schedule(
                program=program,
                actor=request.user,
                starts=services.series_starts(
                    first=data["first"], count=data["count"], spacing_days=data["spacing_days"]
                ),
                format=data["format"],
                place=data["place"],
                video_link=data["video_link"],
                confirm_close_spacing=data["confirm_close_spacing"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(count)s session(s) scheduled.") % {"count": len(created)}
            )
            return redirect("program_detail", slug=slug, code=program.code)
    return render(
        request,
        "programs/program_schedule.html",
        {"access": access, **selectors.program_page(program=program, access=access), "form": form},
    )


@require_POST
@login_required
def session_cancel(request, slug, code, session_code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    program = get_program_for(access, code)
    session = get_session_for(access, session_code, program=program)
    try:
        services.session_cancel(
            session=session,
            actor=request.user,
            by=request.POST.get("by", ""),
            reason=request.POST.get("reason", "")[:300],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Session cancelled."))
    return redirect("program_detail", slug=slug, code=program.code)


@require_POST
@login_required
def session_reschedule(request, slug, code, session_code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    program = get_program_for(access, code)
    session = get_session_for(access, session_code, program=program)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new date and time."))
    else:
        try:
            services.session_reschedule(session=session, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Session moved."))
    return redirect("program_detail", slug=slug, code=program.code)


@login_required
def program_graduate(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    # The program's coach only: the page shows the FSoB, the objectives and their reviews.
    program = gate.coached_program_for(access, code)
    form = GraduateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_graduate(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The program has graduated."))
            return redirect("program_detail", slug=slug, code=program.code)
    return render(
        request,
        "programs/program_graduate.html",
        {
            "access": access,
            "program": program,
            "form": form,
            "content": gate.program_content_for(access, program, reviews=True),
            "review_form": ReviewForm(),
            "used": services.sessions_used(program),
        },
    )


@require_POST
@login_required
def program_transition(request, slug, code, name):
    access = practice_access_for(request, slug, roles=[Role.ADMIN, Role.COACH])
    program = get_program_for(access, code)
    try:
        services.program_transition(
            program=program,
            actor=request.user,
            name=name,
            reason=request.POST.get("reason", "")[:300],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Done."))
    return redirect("program_detail", slug=slug, code=program.code)


@login_required
@never_cache
def program_certificate(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN, Role.COACH, Role.CLIENT])
    program = get_program_for(access, code)
    if program.status != program.Status.GRADUATED:
        raise Http404
    return render(
        request,
        "programs/program_certificate.html",
        {
            "access": access,
            "program": program,
            "used": services.sessions_used(program),
            # Coach and client only, through the gate; the admin sees the certificate alone.
            "summary": gate.completion_summary_for(access, program),
        },
    )


@login_required
@never_cache
def schedule_overview(request, slug):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    return render(
        request,
        "programs/schedule.html",
        {
            "access": access,
            **selectors.schedule(
                access=access, view=request.GET.get("view", "week"), day=request.GET.get("day")
            ),
        },
    )
