from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coaching.access import Role, practice_access_for

from . import selectors, services
from .access import get_contract_for, get_proposal_for
from .forms import ContractStartForm, ContractTermsForm, ProposalForm, ReasonForm

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
