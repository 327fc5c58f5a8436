"""The lifecycle pages: proposals, contracts, chemistry, programs, scheduling, graduation.

Over 400 lines: about thirty thin views (practice_view, one gate call, one service or
selector); split by entity before adding more.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.forms import schedule_formset
from coaching.access import LOGISTICS, Role
from coaching.accounts.adapter import client_ip
from coaching.viewkit import first_submission, practice_view, release_submission, run_service
from ethics import access as gate
from sessions import scheduling

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
    ObjectiveEditForm,
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
from .models import CONTRACT_TERMS, Contract

PARTIES = [Role.ADMIN, Role.CLIENT, Role.SPONSOR]


@practice_view(roles=LOGISTICS)
def proposal_list(request, access):
    return render(
        request,
        "programs/proposal_list.html",
        {
            "access": access,
            **selectors.pipeline(
                access=access,
                stage=request.GET.get("stage", ""),
                status=request.GET.get("status", ""),
                page_number=request.GET.get("page"),
            ),
        },
    )


@practice_view(roles=[Role.COACH])
def coach_program_list(request, access):
    """The coach's programs, a page at a time (the dashboard lists the first few)."""
    return render(
        request,
        "programs/coach_program_list.html",
        {
            "access": access,
            **selectors.coach_program_list(
                access=access,
                status=request.GET.get("status", ""),
                page_number=request.GET.get("page"),
            ),
        },
    )


@practice_view(roles=[Role.ADMIN, Role.COACH])
def proposal_create(request, access):
    form = ProposalForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.proposal_create(
                practice=access.practice, actor=request.user, **form.cleaned_data
            ),
            success=_("Proposal saved as a draft."),
            form=form,
        )
        if done:
            if not access.is_admin:
                messages.success(request, _("An admin of the practice approves it before it goes."))
            return redirect("proposal_detail", slug=access.practice.slug, code=done.value.code)
    return render(request, "programs/proposal_form.html", {"access": access, "form": form})


@practice_view(roles=[Role.ADMIN])
def proposal_edit(request, access, code):
    proposal = get_proposal_for(access, code)
    form = ProposalTermsForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        terms = {f: form.cleaned_data[f] for f in ProposalTermsForm.Meta.fields}
        done = run_service(
            request,
            lambda: services.proposal_update(
                proposal=get_proposal_for(access, code), actor=request.user, **terms
            ),
            success=_("Proposal saved."),
            form=form,
        )
        if done:
            return redirect("proposal_detail", slug=access.practice.slug, code=proposal.code)
    return render(
        request,
        "programs/proposal_form.html",
        {"access": access, "form": form, "editing": True},
    )


@practice_view(roles=[*PARTIES, Role.COACH])
def proposal_detail(request, access, code):
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


def _reason(request):
    """The POST's free-text reason through ReasonForm (its length, no NUL), or None after a
    message saying why it was refused: the caller then changes nothing."""
    form = ReasonForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["reason"]
    messages.error(request, " ".join(form.errors["reason"]))
    return None


@require_POST
@practice_view(roles=[Role.ADMIN])
def proposal_send(request, access, code):
    proposal = get_proposal_for(access, code)
    run_service(
        request,
        lambda: services.proposal_send(proposal=proposal, actor=request.user),
        success=_("Proposal sent."),
    )
    return redirect("proposal_detail", slug=access.practice.slug, code=proposal.code)


@require_POST
@practice_view(roles=[Role.ADMIN])
def proposal_withdraw(request, access, code):
    reason = _reason(request)
    proposal = get_proposal_for(access, code)
    if reason is None:
        return redirect("proposal_detail", slug=access.practice.slug, code=proposal.code)
    run_service(
        request,
        lambda: services.proposal_withdraw(proposal=proposal, actor=request.user, reason=reason),
        success=_("Proposal withdrawn."),
    )
    return redirect("proposal_detail", slug=access.practice.slug, code=proposal.code)


@require_POST
@practice_view(roles=[Role.CLIENT, Role.SPONSOR])
def proposal_respond(request, access, code):
    decision = request.POST.get("decision")
    reason = _reason(request)
    proposal = get_proposal_for(access, code)
    if decision not in ("accept", "decline"):
        # A missing answer is not a decline: declining cannot be undone.
        messages.error(request, _("Choose whether you accept or decline."))
        reason = None
    if reason is None:
        return redirect("proposal_detail", slug=access.practice.slug, code=proposal.code)
    accept = decision == "accept"
    run_service(
        request,
        lambda: services.proposal_respond(
            proposal=proposal, actor=request.user, accept=accept, reason=reason
        ),
        success=_("Thank you: you accepted.") if accept else _("You declined the proposal."),
    )
    return redirect("proposal_detail", slug=access.practice.slug, code=proposal.code)


@require_POST
@practice_view(roles=[Role.ADMIN])
def contract_create(request, access, code):
    proposal = get_proposal_for(access, code)
    form = ContractStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the contract starts."))
        return redirect("proposal_detail", slug=access.practice.slug, code=proposal.code)
    done = run_service(
        request,
        lambda: services.contract_create(
            proposal=proposal, actor=request.user, starts_on=form.cleaned_data["starts_on"]
        ),
        success=_("Contract drafted from the proposal. Check the terms."),
    )
    if not done:
        return redirect("proposal_detail", slug=access.practice.slug, code=proposal.code)
    return redirect("contract_edit", slug=access.practice.slug, code=done.value.code)


@practice_view(roles=PARTIES)
def contract_detail(request, access, code):
    contract = get_contract_for(access, code)
    return render(
        request,
        "programs/contract_detail.html",
        {
            "access": access,
            **selectors.contract_page(contract=contract, reader=request.user, access=access),
        },
    )


@practice_view(roles=[Role.ADMIN])
def contract_edit(request, access, code):
    contract = get_contract_for(access, code)
    if contract.status == Contract.Status.ENDED:
        messages.error(request, _("An ended contract cannot be changed."))
        return redirect("contract_detail", slug=access.practice.slug, code=contract.code)
    current = contract.current_version
    form = ContractTermsForm(request.POST or None, instance=current)
    # The payment schedule's rows (billing); a post without them keeps the schedule.
    posted = request.POST if "instalments-TOTAL_FORMS" in request.POST else None
    schedule = schedule_formset(posted, version=current)
    if request.method == "POST" and form.is_valid() and (posted is None or schedule.is_valid()):
        terms = {f: form.cleaned_data[f] for f in CONTRACT_TERMS}
        # The form edited `current` in memory; reload it so a refusal changes nothing.
        contract = get_contract_for(access, code)
        done = run_service(
            request,
            lambda: services.contract_change_terms(
                contract=contract,
                actor=request.user,
                reason=form.cleaned_data.get("change_reason", ""),
                instalments=schedule.rows() if posted is not None else None,
                **terms,
            ),
            success=_("Contract terms saved."),
            form=form,
        )
        if done:
            return redirect("contract_detail", slug=access.practice.slug, code=contract.code)
    return render(
        request,
        "programs/contract_form.html",
        {
            "access": access,
            "contract": contract,
            "version": current,
            "form": form,
            "schedule": schedule,
        },
    )


@require_POST
@practice_view(roles=[Role.ADMIN])
def contract_send(request, access, code):
    contract = get_contract_for(access, code)
    run_service(
        request,
        lambda: services.contract_send(contract=contract, actor=request.user),
        success=_("Contract sent for acceptance."),
    )
    return redirect("contract_detail", slug=access.practice.slug, code=contract.code)


@require_POST
@practice_view(roles=PARTIES)
def contract_accept(request, access, code):
    contract = get_contract_for(access, code)
    try:
        version_number = int(request.POST.get("version", ""))
    except ValueError:
        version_number = 0
    run_service(
        request,
        lambda: services.contract_accept(
            contract=contract,
            version_number=version_number,
            party=request.POST.get("party", ""),
            actor=request.user,
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        ),
        success=_("You accepted the contract."),
    )
    return redirect("contract_detail", slug=access.practice.slug, code=contract.code)


@require_POST
@practice_view(roles=[Role.CLIENT, Role.SPONSOR])
def contract_respond(request, access, code):
    """The client or the sponsor asks for changes to, or declines, the version waiting."""
    contract = get_contract_for(access, code)
    try:
        version_number = int(request.POST.get("version", ""))
    except ValueError:
        version_number = 0
    kind = request.POST.get("kind", "")
    run_service(
        request,
        lambda: services.contract_respond(
            contract=contract,
            version_number=version_number,
            party=request.POST.get("party", ""),
            kind=kind,
            comment=request.POST.get("comment", "")[:2000],
            actor=request.user,
        ),
        success=_("The practice has your answer and will reply with a new version.")
        if kind == "changes"
        else _("You declined this version. The practice has your comment."),
    )
    return redirect("contract_detail", slug=access.practice.slug, code=contract.code)


# Chemistry ----------------------------------------------------------------------------------


@practice_view(roles=[Role.ADMIN])
def chemistry_propose(request, access, code):
    contract = get_contract_for(access, code)
    form = ChemistryForm(
        request.POST or None, access=access, first_time=contract.proposal.first_time_coaching
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.chemistry_propose(
                contract=contract, actor=request.user, **form.cleaned_data
            ),
            success=_("Chemistry meeting scheduled."),
            form=form,
        )
        if done:
            return redirect("contract_detail", slug=access.practice.slug, code=contract.code)
    return render(
        request,
        "programs/chemistry_form.html",
        {"access": access, "contract": contract, "form": form},
    )


def _back(request, fallback):
    # Return to the page the form was on (only a local path), else the fallback.
    # Django refuses to redirect to a URL longer than 2048 characters (a 400 after the write).
    nxt = request.POST.get("next", "")
    local = nxt.startswith("/") and not nxt.startswith("//") and len(nxt) <= 2000
    return redirect(nxt if local and url_has_allowed_host_and_scheme(nxt, None) else fallback)


def _form_again(request, access, form, *, title, back, next_url=""):
    """A refused form that sits inside another page, shown again on a page of its own with
    what was typed and why (a redirect to the page it came from would drop the typed note)."""
    return render(
        request,
        "programs/form_again.html",
        {
            "access": access,
            "form": form,
            "title": title,
            "action": request.path,
            "back": back,
            "next": next_url,
        },
    )


@require_POST
@practice_view(roles=[Role.CLIENT, Role.COACH])
def chemistry_outcome(request, access, code):
    meeting = get_meeting_for(access, code)
    form = OutcomeForm(request.POST)
    back = _back(request, reverse("practice_home", kwargs={"slug": access.practice.slug}))
    if form.is_valid():
        done = run_service(
            request,
            lambda: services.chemistry_record_outcome(
                meeting=meeting, actor=request.user, **form.cleaned_data
            ),
            success=_("Thank you, the outcome is recorded."),
            form=form,
        )
        if done:
            return back
    return _form_again(
        request,
        access,
        form,
        title=_("How the chemistry meeting went"),
        back=back.url,
        next_url=back.url,
    )


@require_POST
@practice_view(roles=[Role.CLIENT])
def chemistry_choose(request, access, code):
    meeting = get_meeting_for(access, code)
    done = run_service(
        request,
        lambda: services.chemistry_choose(meeting=meeting, actor=request.user),
        success=_("Your coach is chosen. Your program has started."),
    )
    if not done:
        return redirect("contract_detail", slug=access.practice.slug, code=meeting.contract.code)
    return redirect("program_detail", slug=access.practice.slug, code=done.value.code)


@require_POST
@practice_view(roles=[Role.CLIENT])
def chemistry_ask_another(request, access, code):
    contract = get_contract_for(access, code)
    reason = _reason(request)
    if reason is not None:
        run_service(
            request,
            lambda: services.chemistry_ask_another(
                contract=contract, actor=request.user, reason=reason
            ),
            success=_("The practice will propose another coach."),
        )
    return redirect("contract_detail", slug=access.practice.slug, code=contract.code)


# Program ------------------------------------------------------------------------------------

EVERYONE = [Role.ADMIN, Role.COACH, Role.CLIENT, Role.SPONSOR]


@practice_view(roles=[*EVERYONE, Role.SCHEDULER])
def program_detail(request, access, code):
    program = get_program_for(access, code)
    return render(
        request,
        "programs/program_detail.html",
        {
            "access": access,
            **selectors.program_page(program=program, access=access),
            "objective_form": ObjectiveForm(),  # its one-time submission token
        },
    )


@practice_view(roles=[Role.COACH])
def program_edit(request, access, code):
    # The program's coach only (the form shows its theme and states of being); 404 otherwise.
    program = gate.coached_program_for(access, code)
    form = ThemeForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in ThemeForm.Meta.fields}
        program = gate.coached_program_for(access, code)  # the form changed the instance
        done = run_service(
            request,
            lambda: services.program_update_theme(
                program=program, actor=request.user, reason=form.cleaned_data["reason"], **fields
            ),
            success=_("Saved."),
            form=form,
        )
        if done:
            return redirect("program_detail", slug=access.practice.slug, code=program.code)
    return render(
        request, "programs/program_edit.html", {"access": access, "program": program, "form": form}
    )


@require_POST
@practice_view(roles=[Role.COACH])
def objective_add(request, access, code):
    program = get_program_for(access, code)
    form = ObjectiveForm(request.POST)
    back = redirect("program_detail", slug=access.practice.slug, code=program.code)
    if form.is_valid():
        if not first_submission(request, form):
            return back  # a double click: the first one added it
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission"}
        done = run_service(
            request,
            lambda: services.objective_add(program=program, actor=request.user, **data),
            success=_("Objective added."),
            form=form,
        )
        if done:
            return back
        release_submission(request, form)
    return _form_again(request, access, form, title=_("New objective"), back=back.url)


def _coached_objective(access, code):
    """The objective with its text, for its program's coach only (404 otherwise), through the
    gate; a retired objective is not edited."""
    meta = get_objective_for(access, code)
    program = gate.coached_program_for(access, meta.program.code)
    objective = (
        gate.objectives_visible_to(access, programs=[program])
        .filter(pk=meta.pk, is_retired=False)
        .first()
    )
    if objective is None:
        raise Http404
    return program, objective


@practice_view(roles=[Role.COACH])
def objective_edit(request, access, code):
    program, objective = _coached_objective(access, code)
    initial = {"text": objective.text, "measure": objective.measure}
    form = ObjectiveEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.objective_update(
                objective=objective, actor=request.user, **form.cleaned_data
            ),
            success=_("Objective saved."),
            form=form,
        )
        if done:
            url = reverse("program_detail", args=[access.practice.slug, program.code])
            return redirect(f"{url}#objectives")
    return render(
        request,
        "programs/objective_edit.html",
        {"access": access, "program": program, "objective": objective, "form": form},
    )


@require_POST
@practice_view(roles=[Role.COACH])
def objective_retire(request, access, code):
    program, objective = _coached_objective(access, code)
    run_service(
        request,
        lambda: services.objective_retire(
            objective=objective, actor=request.user, reason=request.POST.get("reason", "")[:300]
        ),
        success=_("Objective retired. The revisions keep it."),
    )
    url = reverse("program_detail", args=[access.practice.slug, program.code])
    return redirect(f"{url}#objectives")


@require_POST
@practice_view(roles=[Role.COACH])
def objective_review(request, access, code):
    objective = get_objective_for(access, code)
    form = ReviewForm(request.POST)
    back = redirect("program_graduate", slug=access.practice.slug, code=objective.program.code)
    if form.is_valid():
        done = run_service(
            request,
            lambda: services.objective_review(
                objective=objective, actor=request.user, **form.cleaned_data
            ),
            success=_("Review saved."),
            form=form,
        )
        if done:
            return back
    return _form_again(request, access, form, title=_("Review of the objective"), back=back.url)


@practice_view(roles=LOGISTICS)
def program_schedule(request, access, code):
    program = get_program_for(access, code)
    page = selectors.program_page(program=program, access=access)
    booked = sum(1 for s in page["sessions"] if s.status in scheduling.COUNTED)
    form = ScheduleForm(request.POST or None, version=page["version"], booked=booked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.sessions_schedule(
                program=program,
                actor=request.user,
                starts=services.series_starts(
                    first=data["first"], count=data["count"], spacing_days=data["spacing_days"]
                ),
                format=data["format"],
                place=data["place"],
                video_link=data["video_link"],
                confirm_close_spacing=data["confirm_close_spacing"],
            ),
            success=lambda created: _("%(count)s session(s) scheduled.") % {"count": len(created)},
            form=form,
        )
        if done:
            return redirect("program_detail", slug=access.practice.slug, code=program.code)
    return render(
        request,
        "programs/program_schedule.html",
        {"access": access, **page, "form": form},
    )


@require_POST
@practice_view(roles=LOGISTICS)
def session_cancel(request, access, code, session_code):
    program = get_program_for(access, code)
    session = get_session_for(access, session_code, program=program)
    reason = _reason(request)
    if reason is not None:
        run_service(
            request,
            lambda: services.session_cancel(
                session=session, actor=request.user, by=request.POST.get("by", ""), reason=reason
            ),
            success=_("Session cancelled."),
        )
    return redirect("program_detail", slug=access.practice.slug, code=program.code)


@require_POST
@practice_view(roles=LOGISTICS)
def session_reschedule(request, access, code, session_code):
    program = get_program_for(access, code)
    session = get_session_for(access, session_code, program=program)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new date and time."))
    else:
        run_service(
            request,
            lambda: services.session_reschedule(
                session=session, actor=request.user, **form.cleaned_data
            ),
            success=_("Session moved."),
        )
    return redirect("program_detail", slug=access.practice.slug, code=program.code)


@practice_view(roles=[Role.COACH])
def program_graduate(request, access, code):
    # The program's coach only: the page shows the FSoB, the objectives and their reviews.
    program = gate.coached_program_for(access, code)
    form = GraduateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.program_graduate(
                program=program, actor=request.user, **form.cleaned_data
            ),
            success=_("The program has graduated."),
            form=form,
        )
        if done:
            return redirect("program_detail", slug=access.practice.slug, code=program.code)
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
            "remaining": services.remaining_sessions(program).count(),
        },
    )


@require_POST
@practice_view(roles=[Role.ADMIN, Role.COACH])
def program_transition(request, access, code, name):
    program = get_program_for(access, code)
    reason = _reason(request)
    if reason is not None:
        run_service(
            request,
            lambda: services.program_transition(
                program=program, actor=request.user, name=name, reason=reason
            ),
            success=_("Done."),
        )
    return redirect("program_detail", slug=access.practice.slug, code=program.code)


@practice_view(roles=[Role.ADMIN, Role.COACH, Role.CLIENT])
def program_certificate(request, access, code):
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
            "held": program.sessions.filter(status="held").count(),
            "hours": services.coaching_hours(program),
            # Coach and client only, through the gate; the admin sees the certificate alone.
            "summary": gate.completion_summary_for(access, program),
        },
    )


@practice_view(roles=LOGISTICS)
def schedule_overview(request, access):
    return render(
        request,
        "programs/schedule.html",
        {
            "access": access,
            **selectors.schedule(
                access=access,
                view=request.GET.get("view", "week"),
                day=request.GET.get("day"),
                page_number=request.GET.get("page"),
            ),
        },
    )
