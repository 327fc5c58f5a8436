"""The ethics pages: consents, the access log, referrals, the coach's journal and CCE log,
the ICF hours, the progress report, the client's export and erasure.

Over 400 lines: about thirty thin views (practice_view, one gate call, one service or
selector); split by topic before adding more.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coaching.access import Role
from coaching.accounts.reauth import recent_authentication_required
from coaching.viewkit import first_submission, practice_view, release_submission, run_service
from programs.services import program_transition
from supervision import selectors as supervision_selectors

from . import access as gate
from . import prepared_exports, selectors, services
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
from .prepared_exports import printable_sections

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# The client: consents, who has read my records, my data, erasure


@practice_view(roles=[Role.CLIENT])
def consent_list(request, access):
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
@practice_view(roles=[Role.CLIENT])
def consent_give(request, access):
    form = ConsentGiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a consent to give."))
        return redirect("consent_list", slug=access.practice.slug)
    sponsor = None
    if form.cleaned_data["kind"] == Consent.Kind.SPONSOR_SHARING:
        if not form.cleaned_data["sponsor"]:
            messages.error(request, _("Say which sponsor may read what you share."))
            return redirect("consent_list", slug=access.practice.slug)
        sponsor = selectors.sponsor_for_consent(access, form.cleaned_data["sponsor"])
    run_service(
        request,
        lambda: services.consent_give(
            access=access, kind=form.cleaned_data["kind"], sponsor=sponsor
        ),
        success=_("Consent given."),
    )
    return redirect("consent_list", slug=access.practice.slug)


@require_POST
@practice_view(roles=[Role.CLIENT])
def consent_withdraw(request, access, code):
    consent = selectors.consent_for(access, code)
    run_service(
        request,
        lambda: services.consent_withdraw(consent=consent, actor=request.user),
        success=_("Consent withdrawn. It takes effect now."),
    )
    return redirect("consent_list", slug=access.practice.slug)


@practice_view(roles=[Role.CLIENT])
def access_log_mine(request, access):
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


@practice_view(roles=[Role.CLIENT])
@recent_authentication_required
def data_export_page(request, access):
    """My data: prepare the export; once prepared, when, the download and the printable view
    (the sections the worker rendered with the body, ethics/prepared_exports.py); erasure."""
    export = gate.prepared_export_for(access, printable_in=translation.get_language())
    sections = printable = None
    if export is not None and export.is_ready:
        printable = prepared_exports.printable_fragment(export)
        if printable is None:  # prepared before the worker rendered it, or another time zone
            sections = printable_sections(export.body)
        _record_export(request, access, _("Data export (printable page)"))
    elif export is not None and export.prepared_at is not None and not export.is_pending:
        prepared_exports.data_export_discard(export)  # expired, and the sweep not there yet
        export = None
    return render(
        request,
        "ethics/data_export.html",
        {
            "access": access,
            "export": export,
            "printable": printable,
            "sections": sections,
            "erasure": selectors.erasure_request_open(access=access),
        },
    )


@require_POST
@practice_view(roles=[Role.CLIENT])
@recent_authentication_required
def data_export_prepare(request, access):
    run_service(
        request,
        lambda: prepared_exports.data_export_request(access=access),
        success=_("Your export is being prepared. We will tell you when it is ready."),
    )
    return redirect("data_export_page", slug=access.practice.slug)


@practice_view(roles=[Role.CLIENT])
@recent_authentication_required
def data_export_json(request, access):
    """The prepared export as the JSON file (one row read, whatever the client holds)."""
    export = gate.prepared_export_for(access)
    if export is None or not export.is_ready:
        messages.info(request, _("Prepare your export first: it is not ready to download."))
        return redirect("data_export_page", slug=access.practice.slug)
    _record_export(request, access, _("Data export (JSON)"))
    response = HttpResponse(export.body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{access.practice.slug}.json"'
    return response


@require_POST
@practice_view(roles=[Role.CLIENT])
@recent_authentication_required
def erasure_request_create(request, access):
    run_service(
        request,
        lambda: services.erasure_request_create(access=access),
        success=_("Your erasure request has been sent to the practice's admins."),
    )
    return redirect("data_export_page", slug=access.practice.slug)


# The practice admin: the access log and erasure requests (logistics only)


@practice_view(roles=[Role.ADMIN])
def access_event_list(request, access):
    return render(
        request,
        "ethics/access_event_list.html",
        {"access": access, "page": _page(request, selectors.access_event_list(access=access))},
    )


@practice_view(roles=[Role.ADMIN])
def erasure_request_list(request, access):
    return render(
        request,
        "ethics/erasure_request_list.html",
        {"access": access, "requests": selectors.erasure_request_list(access=access)},
    )


@require_POST
@practice_view(roles=[Role.ADMIN])
@recent_authentication_required
def erasure_request_complete(request, access, code):
    erasure = selectors.erasure_request_for(access, code)
    run_service(
        request,
        lambda: services.erasure_complete(access=access, request=erasure, actor=request.user),
        success=_("Erasure completed."),
    )
    return redirect("erasure_request_list", slug=access.practice.slug)


# The coach: referrals


@practice_view(roles=[Role.COACH])
def referral_list(request, access):
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


@practice_view(roles=[Role.COACH])
def referral_create(request, access, program_code):
    program = selectors.program_coached_by(access, program_code)
    form = ReferralForm(
        request.POST or None, instance=Referral(program=program, coach=request.user)
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.referral_create(access=access, program=program, **form.cleaned_data),
            success=_("Referral recorded."),
            form=form,
        )
        if done:
            if done.value.pause_requested:
                _pause_for_referral(request, program)
            return redirect("referral_list", slug=access.practice.slug)
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

    run_service(
        request,
        lambda: program_transition(
            program=program, actor=request.user, name="pause", reason="referral"
        ),
        success=_("The program is paused."),
        level=messages.WARNING,
    )


@require_POST
@practice_view(roles=[Role.COACH])
def referral_close(request, access, code):
    referral = selectors.referral_for(access, code)
    run_service(
        request,
        lambda: services.referral_close(referral=referral, actor=request.user),
        success=_("Referral closed."),
    )
    return redirect("referral_list", slug=access.practice.slug)


# The coach: the coaching mindset


@practice_view(roles=[Role.COACH])
def journal_list(request, access):
    form = JournalEntryForm(
        request.POST or None,
        instance=ReflectiveJournalEntry(practice=access.practice, coach=request.user),
        initial={"date": now().date()},
    )
    if request.method == "POST" and form.is_valid():
        if not first_submission(request, form):
            return redirect("journal_list", slug=access.practice.slug)  # saved by the first
        data = {k: v for k, v in form.cleaned_data.items() if k != "submission"}
        done = run_service(
            request,
            lambda: services.journal_entry_save(access=access, **data),
            success=_("Journal entry saved."),
            form=form,
        )
        if done:
            return redirect("journal_list", slug=access.practice.slug)
        release_submission(request, form)
    return render(
        request,
        "ethics/journal_list.html",
        {
            "access": access,
            "form": form,
            "page": _page(request, selectors.journal_list(access=access)),
        },
    )


@practice_view(roles=[Role.COACH])
def journal_edit(request, access, code):
    entry = selectors.journal_entry_for(access, code)
    form = JournalEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.journal_entry_save(
                access=access,
                entry=entry,
                **{k: v for k, v in form.cleaned_data.items() if k != "submission"},
            ),
            success=_("Journal entry saved."),
            form=form,
        )
        if done:
            return redirect("journal_list", slug=access.practice.slug)
    return render(
        request, "ethics/journal_edit.html", {"access": access, "form": form, "entry": entry}
    )


@require_POST
@practice_view(roles=[Role.COACH])
def journal_delete(request, access, code):
    entry = selectors.journal_entry_for(access, code)
    services.journal_entry_delete(entry=entry, actor=request.user)
    messages.success(request, _("Journal entry deleted."))
    return redirect("journal_list", slug=access.practice.slug)


@practice_view(roles=[Role.COACH])
def cce_list(request, access):
    form = CCEEntryForm(request.POST or None, initial={"date": now().date()})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.cce_entry_create(access=access, **form.cleaned_data),
            success=_("Added to your development log."),
            form=form,
        )
        if done:
            return redirect("cce_list", slug=access.practice.slug)
    entries = list(selectors.cce_list(access=access))
    return render(
        request,
        "ethics/cce_list.html",
        {
            "access": access,
            "form": form,
            "entries": entries,
            "totals": selectors.cce_totals(entries),
            # ICF counts supervision and mentor coaching toward CCE (supervision/, #17).
            "supervision_totals": supervision_selectors.supervision_totals(access=access),
        },
    )


@require_POST
@practice_view(roles=[Role.COACH])
def cce_delete(request, access, code):
    entry = selectors.cce_entry_for(access, code)
    services.cce_entry_delete(entry=entry, actor=request.user)
    messages.success(request, _("Removed from your development log."))
    return redirect("cce_list", slug=access.practice.slug)


@practice_view(roles=[Role.COACH])
def ethics_attestation(request, access):
    if request.method == "POST":
        run_service(
            request,
            lambda: services.ethics_attest(access=access),
            success=_("Thank you: your attestation is recorded."),
        )
        return redirect("ethics_attestation", slug=access.practice.slug)
    attestations = list(selectors.attestation_list(access=access))
    for attestation in attestations:
        attestation.version_label = _code_version_label(attestation.code_version)
    year = now().year
    return render(
        request,
        "ethics/attestation.html",
        {
            "access": access,
            "attestations": attestations,
            "year": year,
            "this_year": next((a for a in attestations if a.year == year), None),
            "code_version": _code_version_label(services.ETHICS_CODE_VERSION),
        },
    )


def _code_version_label(version):
    """The stored version ("ICF Code of Ethics 2025", an identifier) in the reader's words."""
    return version.replace("ICF Code of Ethics", _("ICF Code of Ethics"))


@practice_view(roles=[Role.COACH])
def icf_hours(request, access):
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


@practice_view(roles=[Role.COACH])
@recent_authentication_required  # a file of client names leaves the app (#12: exports)
def icf_hours_export(request, access):
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
@practice_view(roles=[Role.COACH])
def program_pro_bono(request, access, program_code):
    program = selectors.program_coached_by(access, program_code)
    pro_bono = request.POST.get("pro_bono") == "1"
    run_service(
        request,
        lambda: services.program_pro_bono_set(access=access, program=program, pro_bono=pro_bono),
        success=(
            _("The program now counts as pro bono.")
            if pro_bono
            else _("The program now counts as paid.")
        ),
    )
    return redirect("icf_hours", slug=access.practice.slug)


# Scope defaults (admin), progress reports (coach, client), the sponsor's view, boundary flags


@practice_view(roles=[Role.ADMIN])
def scope_defaults(request, access):
    form = ScopeDefaultsForm(request.POST or None, current=selectors.scope_defaults(access=access))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.scope_defaults_save(access=access, scopes=form.scopes()),
            success=_("Saved."),
            form=form,
        )
        if done:
            return redirect("scope_defaults", slug=access.practice.slug)
    return render(request, "ethics/scope_defaults.html", {"access": access, "form": form})


@practice_view(roles=[Role.COACH])
def progress_report_edit(request, access, program_code):
    program = selectors.program_coached_by(access, program_code)
    reports = list(gate.progress_reports_visible_to(access, programs=[program]))
    open_report = next((r for r in reports if r.status != r.Status.APPROVED), None)
    if open_report is not None:
        initial = open_report.text
    else:
        initial = selectors.progress_report_suggestion(access=access, program=program)
    form = ProgressReportForm(request.POST or None, initial={"text": initial})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.progress_report_save(
                access=access,
                program=program,
                text=form.cleaned_data["text"],
                report=open_report,
                submit="submit" in request.POST,
            ),
            success=_("Saved."),
            form=form,
        )
        if done:
            return redirect(
                "progress_report_edit", slug=access.practice.slug, program_code=program.code
            )
    return render(
        request,
        "ethics/progress_report_edit.html",
        {"access": access, "program": program, "form": form, "reports": reports},
    )


@practice_view(roles=[Role.CLIENT])
def progress_report_list_mine(request, access):
    reports = gate.progress_reports_visible_to(access).select_related("program__coach")
    return render(
        request, "ethics/progress_report_mine.html", {"access": access, "reports": list(reports)}
    )


@require_POST
@practice_view(roles=[Role.CLIENT])
def progress_report_approve(request, access, code):
    report = gate.get_progress_report_for(access, code)
    run_service(
        request,
        lambda: services.progress_report_approve(
            report=report, actor=request.user, digest=request.POST.get("digest", "")
        ),
        success=_("Approved: the sponsor can read this report."),
    )
    return redirect("progress_report_list_mine", slug=access.practice.slug)


@practice_view(roles=[Role.SPONSOR])
def sponsor_program(request, access, code):
    program = gate.sponsored_program_for(access, code)
    context = selectors.sponsor_program_page(access=access, program=program)
    return render(request, "ethics/sponsor_program.html", {"access": access, **context})


@require_POST
@practice_view(roles=[Role.COACH])
def scope_boundary_flag(request, access, code):
    session = gate.get_session_for(access, code, write=True)
    form = BoundaryFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say which territory the conversation went into."))
        return redirect("session_run", slug=access.practice.slug, code=code)
    if not run_service(
        request,
        lambda: services.scope_boundary_flag(
            session=session, territory=form.cleaned_data["territory"], actor=request.user
        ),
    ):
        return redirect("session_run", slug=access.practice.slug, code=code)
    messages.info(
        request,
        _(
            "Flagged. Coaching is not consulting or therapy: consider referring your client "
            "to another professional."
        ),
    )
    return redirect("referral_create", slug=access.practice.slug, program_code=session.program.code)
