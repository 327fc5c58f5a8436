import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coaching.access import Role, practice_access_for

from . import access as gate
from . import selectors, services
from .exports import data_export
from .forms import (
    BoundaryFlagForm,
    CCEEntryForm,
    ConsentGiveForm,
    JournalEntryForm,
    ProgressReportForm,
    ReferralForm,
    ScopeDefaultsForm,
)
from .icf import icf_hours_csv, icf_hours_rows
from .models import AccessEvent, Consent, Referral, ReflectiveJournalEntry

PAGE_SIZE = 50


def _error_text(error):
    return " ".join(error.messages)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# The client: consents, who has read my records, my data, erasure


@login_required
def consent_list(request, slug):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    return render(
        request,
        "ethics/consent_list.html",
        {
            "access": access,
            "choices": selectors.consent_choices(access=access),
            "history": selectors.consent_list(access=access),
        },
    )


@require_POST
@login_required
def consent_give(request, slug):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    form = ConsentGiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a consent to give."))
        return redirect("consent_list", slug=slug)
    sponsor = None
    if form.cleaned_data["kind"] == Consent.Kind.SPONSOR_SHARING:
        if not form.cleaned_data["sponsor"]:
            messages.error(request, _("Say which sponsor may read what you share."))
            return redirect("consent_list", slug=slug)
        sponsor = selectors.sponsor_for_consent(access, form.cleaned_data["sponsor"])
    try:
        services.consent_give(access=access, kind=form.cleaned_data["kind"], sponsor=sponsor)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Consent given."))
    return redirect("consent_list", slug=slug)


@require_POST
@login_required
def consent_withdraw(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    consent = selectors.consent_for(access, code)
    try:
        services.consent_withdraw(consent=consent, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Consent withdrawn. It takes effect now."))
    return redirect("consent_list", slug=slug)


@never_cache
@login_required
def access_log_mine(request, slug):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    return render(
        request,
        "ethics/access_log_mine.html",
        {"access": access, "page": _page(request, selectors.access_events_about(access=access))},
    )


def _record_export(request, access, label):
    services.access_record(
        reader=request.user,
        item=request.user,
        label=label,
        path=request.path,
        kind=AccessEvent.Kind.EXPORT,
        subject=request.user,
        practice=access.practice,
    )


@never_cache
@login_required
def data_export_page(request, slug):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    sections = data_export(user=request.user, practice=access.practice)
    _record_export(request, access, _("Data export (printable page)"))
    return render(
        request,
        "ethics/data_export.html",
        {
            "access": access,
            "sections": [_printable(section) for section in sections],
            "generated_at": now(),
            "erasure": selectors.erasure_request_open(access=access),
        },
    )


def _printable(section):
    """Rows as (key, value, nested) for the page: a list of records (a session's tasks, a
    program's objectives) becomes nested rows instead of a Python repr."""

    def fields(row):
        return [
            (key, None, [fields(item) for item in value])
            if isinstance(value, list) and all(isinstance(item, dict) for item in value)
            else (key, value, None)
            for key, value in row.items()
        ]

    return {**section, "rows": [fields(row) for row in section["rows"]]}


@never_cache
@login_required
def data_export_json(request, slug):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    sections = data_export(user=request.user, practice=access.practice)
    _record_export(request, access, _("Data export (JSON)"))
    body = json.dumps(
        {
            "practice": access.practice.name,
            "generated_at": now().isoformat(),
            "sections": {s["key"]: {"title": str(s["title"]), "rows": s["rows"]} for s in sections},
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{access.practice.slug}.json"'
    return response


@require_POST
@login_required
def erasure_request_create(request, slug):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    try:
        services.erasure_request_create(access=access)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Your erasure request has been sent to the practice's admins."))
    return redirect("data_export_page", slug=slug)


# The practice admin: the access log and erasure requests (logistics only)


@login_required
def access_event_list(request, slug):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    return render(
        request,
        "ethics/access_event_list.html",
        {"access": access, "page": _page(request, selectors.access_event_list(access=access))},
    )


@login_required
def erasure_request_list(request, slug):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    return render(
        request,
        "ethics/erasure_request_list.html",
        {"access": access, "requests": selectors.erasure_request_list(access=access)},
    )


@require_POST
@login_required
def erasure_request_complete(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    erasure = selectors.erasure_request_for(access, code)
    try:
        services.erasure_complete(access=access, request=erasure, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Erasure completed."))
    return redirect("erasure_request_list", slug=slug)


# The coach: referrals


@never_cache
@login_required
def referral_list(request, slug):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    return render(
        request,
        "ethics/referral_list.html",
        {
            "access": access,
            "referrals": selectors.referral_list(access=access),
            "programs": selectors.programs_coached_by(access)
            .select_related("client")
            .order_by("client__full_name"),
            "today": now().date(),
        },
    )


@never_cache
@login_required
def referral_create(request, slug, program_code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    program = selectors.program_coached_by(access, program_code)
    form = ReferralForm(
        request.POST or None, instance=Referral(program=program, coach=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(access=access, program=program, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Referral recorded."))
            if referral.pause_requested:
                _pause_for_referral(request, program)
            return redirect("referral_list", slug=slug)
    return render(
        request,
        "ethics/referral_form.html",
        {
            "access": access,
            "program": program,
            "form": form,
            "earlier": selectors.referral_list(access=access, program=program),
        },
    )


def _pause_for_referral(request, program):
    """The referral asked to pause the program: the programs app's own transition does it."""
    from programs.services import program_transition

    try:
        program_transition(program=program, actor=request.user, name="pause", reason="referral")
    except ValidationError as error:
        messages.warning(request, _error_text(error))
    else:
        messages.success(request, _("The program is paused."))


@require_POST
@login_required
def referral_close(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    referral = selectors.referral_for(access, code)
    try:
        services.referral_close(referral=referral, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Referral closed."))
    return redirect("referral_list", slug=slug)


# The coach: the coaching mindset


@never_cache
@login_required
def journal_list(request, slug):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    form = JournalEntryForm(
        request.POST or None,
        instance=ReflectiveJournalEntry(practice=access.practice, coach=request.user),
        initial={"date": now().date()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.journal_entry_save(access=access, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Journal entry saved."))
            return redirect("journal_list", slug=slug)
    return render(
        request,
        "ethics/journal_list.html",
        {
            "access": access,
            "form": form,
            "page": _page(request, selectors.journal_list(access=access)),
        },
    )


@never_cache
@login_required
def journal_edit(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    entry = selectors.journal_entry_for(access, code)
    form = JournalEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.journal_entry_save(access=access, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Journal entry saved."))
            return redirect("journal_list", slug=slug)
    return render(
        request, "ethics/journal_edit.html", {"access": access, "form": form, "entry": entry}
    )


@require_POST
@login_required
def journal_delete(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    entry = selectors.journal_entry_for(access, code)
    services.journal_entry_delete(entry=entry, actor=request.user)
    messages.success(request, _("Journal entry deleted."))
    return redirect("journal_list", slug=slug)


@login_required
def cce_list(request, slug):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    form = CCEEntryForm(request.POST or None, initial={"date": now().date()})
    if request.method == "POST" and form.is_valid():
        try:
            services.cce_entry_create(access=access, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added to your development log."))
            return redirect("cce_list", slug=slug)
    entries = list(selectors.cce_list(access=access))
    return render(
        request,
        "ethics/cce_list.html",
        {
            "access": access,
            "form": form,
            "entries": entries,
            "totals": selectors.cce_totals(entries),
        },
    )


@require_POST
@login_required
def cce_delete(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    entry = selectors.cce_entry_for(access, code)
    services.cce_entry_delete(entry=entry, actor=request.user)
    messages.success(request, _("Removed from your development log."))
    return redirect("cce_list", slug=slug)


@login_required
def ethics_attestation(request, slug):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    if request.method == "POST":
        try:
            services.ethics_attest(access=access)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Thank you: your attestation is recorded."))
        return redirect("ethics_attestation", slug=slug)
    attestations = list(selectors.attestation_list(access=access))
    year = now().year
    return render(
        request,
        "ethics/attestation.html",
        {
            "access": access,
            "attestations": attestations,
            "year": year,
            "this_year": next((a for a in attestations if a.year == year), None),
            "code_version": services.ETHICS_CODE_VERSION,
        },
    )


@login_required
def icf_hours(request, slug):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    anonymise = request.GET.get("anonymise") == "1"
    rows = icf_hours_rows(access=access, anonymise=anonymise)
    return render(
        request,
        "ethics/icf_hours.html",
        {
            "access": access,
            "rows": rows,
            "anonymise": anonymise,
            "programs": selectors.programs_coached_by(access)
            .select_related("client", "pro_bono")
            .order_by("client__full_name", "created_at"),
            "paid_total": sum((r["paid_hours"] for r in rows), 0),
            "pro_bono_total": sum((r["pro_bono_hours"] for r in rows), 0),
        },
    )


@login_required
def icf_hours_export(request, slug):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    anonymise = request.GET.get("anonymise") == "1"
    body = icf_hours_csv(icf_hours_rows(access=access, anonymise=anonymise))
    services.access_record(  # every export is in the access log (client names, no content)
        reader=request.user,
        item=request.user,
        label=_("ICF client-hours log (CSV)"),
        path=request.get_full_path(),
        kind=AccessEvent.Kind.EXPORT,
        practice=access.practice,
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="icf-client-hours.csv"'
    return response


@require_POST
@login_required
def program_pro_bono(request, slug, program_code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    program = selectors.program_coached_by(access, program_code)
    pro_bono = request.POST.get("pro_bono") == "1"
    try:
        services.program_pro_bono_set(access=access, program=program, pro_bono=pro_bono)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The program now counts as pro bono.")
            if pro_bono
            else _("The program now counts as paid."),
        )
    return redirect("icf_hours", slug=slug)


# Scope defaults (admin), progress reports (coach, client), the sponsor's view, boundary flags


@never_cache
@login_required
def scope_defaults(request, slug):
    access = practice_access_for(request, slug, roles=[Role.ADMIN])
    form = ScopeDefaultsForm(request.POST or None, current=selectors.scope_defaults(access=access))
    if request.method == "POST" and form.is_valid():
        try:
            services.scope_defaults_save(access=access, scopes=form.scopes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("scope_defaults", slug=slug)
    return render(request, "ethics/scope_defaults.html", {"access": access, "form": form})


@never_cache
@login_required
def progress_report_edit(request, slug, program_code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    program = selectors.program_coached_by(access, program_code)
    reports = list(gate.progress_reports_visible_to(access, programs=[program]))
    open_report = next((r for r in reports if r.status != r.Status.APPROVED), None)
    if open_report is not None:
        initial = open_report.text
    else:
        initial = selectors.progress_report_suggestion(access=access, program=program)
    form = ProgressReportForm(request.POST or None, initial={"text": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_save(
                access=access,
                program=program,
                text=form.cleaned_data["text"],
                report=open_report,
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("progress_report_edit", slug=slug, program_code=program.code)
    return render(
        request,
        "ethics/progress_report_edit.html",
        {"access": access, "program": program, "form": form, "reports": reports},
    )


@never_cache
@login_required
def progress_report_list_mine(request, slug):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    reports = gate.progress_reports_visible_to(access).select_related("program__coach")
    return render(
        request, "ethics/progress_report_mine.html", {"access": access, "reports": list(reports)}
    )


@require_POST
@login_required
def progress_report_approve(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.CLIENT])
    report = gate.get_progress_report_for(access, code)
    try:
        services.progress_report_approve(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Approved: the sponsor can read this report."))
    return redirect("progress_report_list_mine", slug=slug)


@never_cache
@login_required
def sponsor_program(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.SPONSOR])
    program = gate.sponsored_program_for(access, code)
    context = selectors.sponsor_program_page(access=access, program=program)
    return render(request, "ethics/sponsor_program.html", {"access": access, **context})


@require_POST
@login_required
def scope_boundary_flag(request, slug, code):
    access = practice_access_for(request, slug, roles=[Role.COACH])
    session = gate.get_session_for(access, code, write=True)
    form = BoundaryFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say which territory the conversation went into."))
        return redirect("session_run", slug=slug, code=code)
    try:
        services.scope_boundary_flag(
            session=session, territory=form.cleaned_data["territory"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("session_run", slug=slug, code=code)
    messages.info(
        request,
        _(
            "Flagged. Coaching is not consulting or therapy: consider referring your client "
            "to another professional."
        ),
    )
    return redirect("referral_create", slug=slug, program_code=session.program.code)
